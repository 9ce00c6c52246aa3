#!/usr/bin/env bash
# Gets the lab ready for the spark_image role, offline: the Spark 4.1.4 distribution assembled from pyspark
# (build-distribution.sh, cached; $LAB_CACHE/spark-distribution/current names it), and on the lab's build
# engine (the controller's Docker) the Java 17 base image and the real Alluxio image, both from
# tests/images/alluxio/build.sh's cache. Prints where the time went.
#
#   bash tests/images/spark/prepare-lab.sh        (the lab must be up: make lab-up)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_STATE=${LAB_STATE:-/var/lib/dataplane-alluxio-spark-lab}
sock=$LAB_STATE/build-docker/run/docker.sock

log() { printf '[spark-lab] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ -S "$sock" ] || die "no build engine at $sock: bring the lab up first (make lab-up)"
started=$SECONDS
dist=$(bash "$here/build-distribution.sh" | tail -n 1)
t_dist=$((SECONDS - started))
base_tar=$(bash "$here/../alluxio/build.sh" --base-image | tail -n 1)
alluxio_tar=$(bash "$here/../alluxio/build.sh" | tail -n 1)
t_images=$((SECONDS - started - t_dist))

t_loads=$SECONDS
bash "$here/../../lab/lab.sh" load-build "$base_tar" "$alluxio_tar"
log "ready in $((SECONDS - started))s (distribution ${t_dist}s, image tars ${t_images}s, loads $((SECONDS - t_loads))s): $dist"
