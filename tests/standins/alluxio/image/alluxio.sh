#!/bin/sh
# `alluxio` CLI of the Alluxio STAND-IN image (tests only), installed as /opt/alluxio/bin/alluxio.
# Knows three commands and prints them in Alluxio 2.9's exact output format:
#   alluxio fsadmin report capacity [-live|-lost]
#                                     workers known to the master (LOST after 30 s without a
#                                     heartbeat, as the real master after its worker timeout),
#                                     minus/plus the faults
#   alluxio fsadmin report metrics    defaults, overridden by <state>/metrics ("<name> <TYPE> <value>")
#   alluxio fs stat <path>            the stand-in keeps no files yet: every path does not exist
# Faults are files under <state>/faults/ written by tests: missing_worker and extra_worker (IPs,
# separated by blanks or lines), lost_worker (IPs reported LOST), zero_capacity (present: every
# worker has 0 bytes).
set -eu
# shellcheck source=SCRIPTDIR/standin-lib.sh
. "${ALLUXIO_STANDIN_LIBEXEC:-/opt/alluxio/libexec}/standin-lib.sh"

usage() {
    echo "Usage: alluxio fsadmin report capacity [-live|-lost] | alluxio fsadmin report metrics | alluxio fs stat <path>  (Alluxio stand-in: nothing else)" >&2
    exit 1
}

fault() {
    # The fault's content as one line of words; empty when the fault is not set.
    if [ -f "$STANDIN_STATE/faults/$1" ]; then
        tr -s '\n\t ' '   ' <"$STANDIN_STATE/faults/$1"
    fi
}

report() {
    zero=0
    if [ -e "$STANDIN_STATE/faults/zero_capacity" ]; then
        zero=1
    fi
    # /dev/null first: with no registrations awk must not read stdin
    set -- "$1" /dev/null
    for file in "$STANDIN_STATE"/workers/*; do
        if [ -f "$file" ]; then
            set -- "$@" "$file"
        fi
    done
    kind=$1
    shift
    started=$(cat "$STANDIN_STATE/master-started" 2>/dev/null || echo 0)
    awk -v report="$kind" -v range="$range" -v now="$(date +%s)" -v master_started="$started" \
        -v missing="$(fault missing_worker)" -v extra="$(fault extra_worker)" -v lost="$(fault lost_worker)" \
        -v zero="$zero" -v metrics_file="$STANDIN_STATE/metrics" \
        -f "$STANDIN_LIBEXEC/standin-report.awk" "$@"
}

case ${1:-} in
    fsadmin)
        if [ $# -lt 3 ] || [ "$2" != report ]; then
            usage
        fi
        range=all
        case $3 in
            capacity)
                # CapacityCommand's options: -live and -lost pick the workers (-workers is not kept here).
                case $# in
                    3) ;;
                    4)
                        case $4 in
                            -live) range=live ;;
                            -lost) range=lost ;;
                            *) usage ;;
                        esac
                        ;;
                    *) usage ;;
                esac
                report capacity
                ;;
            metrics)
                [ $# -eq 3 ] || usage
                report metrics
                ;;
            *) usage ;;
        esac
        ;;
    fs)
        if [ $# -ne 3 ] || [ "$2" != stat ]; then
            usage
        fi
        # FileSystemShell prints the FileDoesNotExistException's message on stdout and exits with -1.
        printf 'Path "%s" does not exist.\n' "$3"
        exit 255
        ;;
    *) usage ;;
esac
