#!/bin/sh
# Builds both stand-in images, alluxio-standin:TAG and spark-operator-standin:TAG, into every lab node.
# Prints "imported" when a node received a new image (molecule's prepare reports that as a change).
#
#   tests/standins/build-images.sh TAG
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 TAG" >&2
    exit 2
fi
sh "$here/alluxio/build-image.sh" "$1"
sh "$here/spark-operator/build-image.sh" "$1"
