#!/bin/sh
# /entrypoint.sh of the Alluxio STAND-IN image (tests only; the real image starts Java processes).
# Takes the real chart's container args (master-only, job-master, worker-only, job-worker; the
# --no-format flag is accepted and ignored) and then idles until TERM. A worker registers itself
# every 2 s in <state>/workers/<ALLUXIO_WORKER_HOSTNAME>, which `alluxio fsadmin report capacity`
# in the master reads, the way real workers heartbeat to the master.
set -eu
# shellcheck source=SCRIPTDIR/standin-lib.sh
. "${ALLUXIO_STANDIN_LIBEXEC:-/opt/alluxio/libexec}/standin-lib.sh"

mode=${1:-}
case $mode in
    master-only | job-master | worker-only | job-worker) ;;
    *)
        echo "alluxio stand-in: unknown mode '$mode'; expected master-only, job-master, worker-only or job-worker" >&2
        exit 1
        ;;
esac
echo "$mode" >"$STANDIN_MODE_FILE"
mkdir -p "$STANDIN_STATE/workers" "$STANDIN_STATE/faults"

registration=
stop() {
    # A stopped worker's registration stays: like the real master, the stand-in reports it LOST once
    # its heartbeat is older than the worker timeout, and keeps it in the `all` report.
    echo "alluxio stand-in: $mode stopped"
    exit 0
}
trap stop TERM INT

if [ "$mode" = worker-only ]; then
    host=${ALLUXIO_WORKER_HOSTNAME:-}
    if [ -z "$host" ]; then
        echo "alluxio stand-in: ALLUXIO_WORKER_HOSTNAME is empty (the chart sets it from status.hostIP)" >&2
        exit 1
    fi
    opts=${ALLUXIO_WORKER_JAVA_OPTS:-}
    quota=$(standin_java_opt alluxio.worker.tieredstore.level0.dirs.quota "$opts")
    alias=$(standin_java_opt alluxio.worker.tieredstore.level0.alias "$opts")
    alias=${alias:-MEM}
    if ! capacity=$(standin_size_bytes "$quota"); then
        echo "alluxio stand-in: cannot read -Dalluxio.worker.tieredstore.level0.dirs.quota='$quota' from ALLUXIO_WORKER_JAVA_OPTS" >&2
        exit 1
    fi
    registration=$STANDIN_STATE/workers/$host
    echo "alluxio stand-in: worker $host, tier $alias, capacity $capacity bytes"
else
    # A new master knows no workers until they heartbeat to it (older registrations are ignored).
    if [ "$mode" = master-only ]; then
        date +%s >"$STANDIN_STATE/master-started"
    fi
    echo "alluxio stand-in: $mode started"
fi

while :; do
    if [ -n "$registration" ]; then
        # Written aside and renamed, so the master never reads half a line.
        printf '%s %s %s %s\n' "$capacity" 0 "$alias" "$(date +%s)" >"$registration.tmp"
        mv -f "$registration.tmp" "$registration"
    fi
    # sleep in the background: a trapped TERM interrupts `wait` at once, not after the sleep
    sleep 2 &
    wait $! || true
done
