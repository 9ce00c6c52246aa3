#!/bin/sh
# Entrypoint of the spark-operator STAND-IN image (tests only). The real image runs the Go controller
# or webhook. `controller start --namespaces=a,b` does the one thing of the real controller that
# removal depends on: it puts the finalizer sparkoperator.k8s.io/finalizer on every SparkApplication of
# its namespaces and removes it when the application is being deleted (the real controller first
# deletes the driver; nothing runs here). It reconciles nothing else. Any other mode idles until TERM.
set -eu
echo "spark-operator stand-in: $*"
FINALIZER=sparkoperator.k8s.io/finalizer
ACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
stop() {
    echo "spark-operator stand-in: stopped"
    exit 0
}
trap stop TERM INT

kube() {
    # The API server's address comes from the chart (standin.apiServer); the lab has no kube-proxy for
    # the kubernetes Service's ClusterIP.
    kubectl --server "$SPARK_OPERATOR_STANDIN_API_SERVER" --certificate-authority "$ACCOUNT/ca.crt" \
        --token "$(cat "$ACCOUNT/token")" --request-timeout=10s "$@"
}

finalize_once() { # NAMESPACE
    kube -n "$1" get sparkapplications.sparkoperator.k8s.io -o \
        'jsonpath={range .items[*]}{.metadata.name}{"|"}{.metadata.deletionTimestamp}{"|"}{.metadata.finalizers}{"\n"}{end}' |
        while IFS='|' read -r name deleting finalizers; do
            [ -n "$name" ] || continue
            case $finalizers in
                *"\"$FINALIZER\""*) has=1 ;;
                *) has=0 ;;
            esac
            if [ -n "$deleting" ] && [ $has = 1 ]; then
                # Keep any other finalizer: the list without ours.
                rest=$(printf '%s' "$finalizers" | sed -e "s#\"$FINALIZER\"##" -e 's/,,*/,/g' -e 's/\[,/[/' -e 's/,\]/]/')
                kube -n "$1" patch sparkapplications.sparkoperator.k8s.io "$name" --type=merge \
                    -p "{\"metadata\":{\"finalizers\":$rest}}" >/dev/null &&
                    echo "finalized $1/$name"
            elif [ -z "$deleting" ] && [ $has = 0 ]; then
                if [ -n "$finalizers" ]; then
                    patch="[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"$FINALIZER\"}]"
                else
                    patch="[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"$FINALIZER\"]}]"
                fi
                kube -n "$1" patch sparkapplications.sparkoperator.k8s.io "$name" --type=json -p "$patch" >/dev/null &&
                    echo "added the finalizer to $1/$name"
            fi
        done
}

: >/tmp/standin-ready
if [ "${1:-}" = controller ]; then
    namespaces=
    for arg in "$@"; do
        case $arg in
            --namespaces=*) namespaces=$(printf '%s' "${arg#--namespaces=}" | tr ',' ' ') ;;
        esac
    done
    while :; do
        for namespace in $namespaces; do
            finalize_once "$namespace" || echo "spark-operator stand-in: listing $namespace failed; retrying" >&2
        done
        sleep 1 &
        wait $! || true
    done
fi
while :; do
    # sleep in the background: a trapped TERM interrupts `wait` at once, not after the sleep
    sleep 60 &
    wait $! || true
done
