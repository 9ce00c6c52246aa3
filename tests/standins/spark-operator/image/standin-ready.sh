#!/bin/sh
# Readiness check of the spark-operator STAND-IN (spark-operator-standin-ready): ready once the
# entrypoint has started.
set -eu
test -e /tmp/standin-ready
