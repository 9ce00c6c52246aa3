#!/bin/sh
# Builds the stand-in image spark-operator-standin:TAG into every lab node (Alluxio is the real one:
# tests/images/alluxio/load-into-lab.sh).
# Prints "imported" when a node received a new image (molecule's prepare reports that as a change).
#
#   tests/standins/build-images.sh TAG
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 TAG" >&2
    exit 2
fi
sh "$here/spark-operator/build-image.sh" "$1"
