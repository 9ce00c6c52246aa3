#!/usr/bin/env bash
# Builds the lab's real Alluxio image (or reuses the cached build) and loads it into every lab node's
# runtime (Docker or containerd), skipping nodes that already have it. Prints the build's and the load's wall times.
#
#   bash tests/images/alluxio/load-into-lab.sh        (the lab must be up: make lab-up)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$SECONDS
tar=$(bash "$here/build.sh" | tail -n 1)
built=$((SECONDS - started))
bash "$here/../../lab/lab.sh" load "$tar"
echo "alluxio image: build ${built}s (cached builds take about 1s), load $((SECONDS - started - built))s: $tar"
