#!/usr/bin/env bash
# STAND-IN for the kubernetes/dockerfiles/spark/decom.sh of an Apache Spark 4.x distribution, written for the lab
# (tests/images/spark). Spark runs it as the executor container's preStop hook when spark.decommission.enabled=true
# (spark.kubernetes.decommission.script defaults to /opt/decom.sh): SIGPWR tells the executor JVM to decommission
# (stop taking tasks, migrate its blocks, exit), and the hook waits for that so the kubelet does not kill it first.
# It always exits 0: a failing preStop hook only adds an event, and the pod is going away either way.
set -euo pipefail

# Seconds to wait for the executor to exit; the pod's terminationGracePeriodSeconds bounds it anyway.
timeout=${SPARK_DECOMMISSION_WAIT_SECONDS:-60}

log() { printf 'decom.sh: %s\n' "$*" >&2; }

# The executor JVM, not tini (whose command line names the same class): the newest process whose program is java.
pid=$(pgrep -n -f '^[^ ]*java .*org\.apache\.spark\.scheduler\.cluster\.k8s\.KubernetesExecutorBackend' || true)
if [ -z "$pid" ]; then
    log "no executor JVM found; nothing to decommission"
    exit 0
fi

log "asking executor JVM $pid to decommission (SIGPWR)"
kill -s PWR "$pid" || { log "could not signal $pid (already gone?)"; exit 0; }

for ((waited = 0; waited < timeout; waited++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
        log "executor JVM $pid exited after ${waited}s"
        exit 0
    fi
    sleep 1
done
log "executor JVM $pid still running after ${timeout}s; leaving it to the kubelet"
exit 0
