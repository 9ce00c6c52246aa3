#!/bin/sh
# Readiness check of the Alluxio STAND-IN (both pods' readinessProbe runs it as
# `alluxio-standin-ready`). Ready unless the test wrote the fault file <state>/faults/never_ready;
# a worker is also not ready before its first registration, so "workers Ready" means "in the report".
set -eu
# shellcheck source=SCRIPTDIR/standin-lib.sh
. "${ALLUXIO_STANDIN_LIBEXEC:-/opt/alluxio/libexec}/standin-lib.sh"

if [ -e "$STANDIN_STATE/faults/never_ready" ]; then
    echo "stand-in fault never_ready is set"
    exit 1
fi
mode=$(cat "$STANDIN_MODE_FILE" 2>/dev/null || true)
if [ "$mode" = worker-only ] && [ ! -f "$STANDIN_STATE/workers/${ALLUXIO_WORKER_HOSTNAME:-}" ]; then
    echo "worker not registered yet"
    exit 1
fi
exit 0
