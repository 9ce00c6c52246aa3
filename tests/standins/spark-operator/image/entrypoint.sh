#!/bin/sh
# Entrypoint of the spark-operator STAND-IN image (tests only). The real image runs the Go
# controller or webhook; this placeholder logs its arguments, marks itself ready and idles until
# TERM, so the chart's Deployments become Ready without reconciling anything.
set -eu
echo "spark-operator stand-in: $*"
stop() {
    echo "spark-operator stand-in: stopped"
    exit 0
}
trap stop TERM INT
: >/tmp/standin-ready
while :; do
    # sleep in the background: a trapped TERM interrupts `wait` at once, not after the sleep
    sleep 60 &
    wait $! || true
done
