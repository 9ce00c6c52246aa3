#!/bin/sh
# Builds the spark-operator STAND-IN image spark-operator-standin:TAG (busybox, the lab's kubectl and
# an entrypoint whose controller only manages the SparkApplication finalizer) and imports it into every lab node's Docker; the lab has no registry.
#
#   tests/standins/spark-operator/build-image.sh TAG [DOCKER_SOCKET...]
#
# Without sockets it reads the nodes from $LAB_INVENTORY (default <repo>/inventory/lab/hosts.yml).
# The chart's default tag is its appVersion, 2.5.2. A node that already has the same content is
# left alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
export LAB_INVENTORY="${LAB_INVENTORY:-$repo/inventory/lab/hosts.yml}"
# shellcheck source=SCRIPTDIR/../lib/image.sh
. "$here/../lib/image.sh"

if [ $# -lt 1 ] || [ -z "$1" ]; then
    echo "usage: $0 TAG [DOCKER_SOCKET...]" >&2
    exit 2
fi
tag=$1
shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
standin_base_rootfs "$rootfs"
cp "$here/image/entrypoint.sh" "$rootfs/usr/bin/entrypoint.sh"
# The controller finalizes SparkApplications through the lab's own kubectl (a static Go binary).
kubectl=${STANDIN_KUBECTL:-$(cat "${LAB_STATE:-/var/lib/dataplane-alluxio-spark-lab}/build-dir" 2>/dev/null)/bin/kubectl}
if [ ! -x "$kubectl" ]; then
    echo "spark-operator stand-in: no kubectl at $kubectl (run make lab-up, or set STANDIN_KUBECTL)" >&2
    exit 1
fi
cp "$kubectl" "$rootfs/usr/bin/kubectl"
cp "$here/image/standin-ready.sh" "$rootfs/usr/bin/spark-operator-standin-ready"
chmod 0755 "$rootfs/usr/bin/entrypoint.sh" "$rootfs/usr/bin/spark-operator-standin-ready"

standin_import_all "spark-operator-standin:$tag" "$rootfs" "$@" -- \
    --change 'ENTRYPOINT ["/usr/bin/entrypoint.sh"]' \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin'
