#!/usr/bin/env bash
# Container entrypoint of the lab's Alluxio 2.9.6 image. The real helm chart runs
#   tini -- /entrypoint.sh <mode> [--no-format]
# with the *_JAVA_OPTS values of its ConfigMap in the environment (see libexec/launcher.sh).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=opt/alluxio/libexec/launcher.sh
. "${ALLUXIO_HOME:-/opt/alluxio}/libexec/launcher.sh"

usage() {
    cat >&2 <<'USAGE'
Usage: /entrypoint.sh MODE [--no-format]
  master-only   the Alluxio master (formats the journal first unless --no-format)
  job-master    the job master
  master        job master and master in one container
  worker-only   the Alluxio worker (formats its tiered store first unless --no-format)
  job-worker    the job worker
  worker        job worker and worker in one container
USAGE
    exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
mode=$1
format=true
if [ $# -eq 2 ]; then
    [ "$2" = --no-format ] || usage
    format=false
fi

cd "$ALLUXIO_HOME"
mkdir -p "$ALLUXIO_LOGS_DIR" 2>/dev/null || true

# The worker's tier 0 is MEM at /dev/shm unless the options name another path (the official entrypoint's
# "RAM folder" rule; Alluxio's own default path /mnt/ramdisk does not exist in a container).
set_ram_folder() {
    [ -z "${ALLUXIO_RAM_FOLDER:-}" ] || return 0
    local all=" ${ALLUXIO_JAVA_OPTS:-} ${ALLUXIO_WORKER_JAVA_OPTS:-} "
    case $all in *alluxio.worker.tieredstore.level0.dirs.path=*) return 0 ;; esac
    case $all in *alluxio.worker.tieredstore.level0.alias=* )
        case $all in *alluxio.worker.tieredstore.level0.alias=MEM[[:space:]]*) ;; *) return 0 ;; esac ;;
    esac
    export ALLUXIO_RAM_FOLDER=/dev/shm
}

run_format() { # master|worker
    lab_server_opts "format_$1"
    echo "entrypoint: formatting the $1 (alluxio.cli.Format $1)"
    "$JAVA" -cp "$(lab_classpath)" "${LAB_OPTS[@]}" alluxio.cli.Format "$1" ||
        lab_die "alluxio.cli.Format $1 failed"
}

exec_server() { # process
    lab_server_opts "$1"
    exec "$JAVA" -cp "$(lab_classpath)" "${LAB_OPTS[@]}" "$(lab_main_class "$1")"
}

# Two JVMs in one container: start both, forward signals to both, and leave (with the status of the one
# that ended first) as soon as either dies, so that Kubernetes restarts the container.
run_pair() { # process process
    local pids=() p sig status=0
    for p in "$@"; do
        lab_server_opts "$p"
        "$JAVA" -cp "$(lab_classpath)" "${LAB_OPTS[@]}" "$(lab_main_class "$p")" &
        pids+=($!)
    done
    for sig in HUP INT QUIT TERM USR1 USR2; do
        # shellcheck disable=SC2064 # the signal name is meant to be fixed when the trap is set
        trap "kill -s $sig ${pids[*]} 2>/dev/null || true" "$sig"
    done
    while :; do
        wait -n "${pids[@]}" && status=0 || status=$?
        # wait returns >128 when a trapped signal interrupted it; keep waiting while both still run
        local alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
        [ "$alive" -eq "${#pids[@]}" ] || break
    done
    echo "entrypoint: a process exited (status $status); stopping the other" >&2
    kill -s TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    exit "$status"
}

case $mode in
master-only)
    if $format; then run_format master; fi
    exec_server master ;;
job-master) exec_server job_master ;;
master)
    if $format; then run_format master; fi
    run_pair job_master master ;;
worker-only)
    set_ram_folder
    if $format; then run_format worker; fi
    exec_server worker ;;
job-worker) exec_server job_worker ;;
worker)
    set_ram_folder
    if $format; then run_format worker; fi
    run_pair job_worker worker ;;
*) usage ;;
esac
