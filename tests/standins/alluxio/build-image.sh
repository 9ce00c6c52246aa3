#!/bin/sh
# Builds the Alluxio STAND-IN image alluxio-standin:TAG (busybox + the POSIX sh scripts in image/)
# and imports it into every lab node's Docker; the lab has no registry, so each node needs a copy.
#
#   tests/standins/alluxio/build-image.sh TAG [DOCKER_SOCKET...]
#
# Without sockets it reads the nodes from $LAB_INVENTORY (default <repo>/inventory/lab/hosts.yml).
# A node that already has alluxio-standin:TAG with the same content is left alone.
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
# The real image's layout: /entrypoint.sh, and the CLI in /opt/alluxio/bin (on PATH).
mkdir -p "$rootfs/opt/alluxio/bin" "$rootfs/opt/alluxio/libexec"
cp "$here/image/entrypoint.sh" "$rootfs/entrypoint.sh"
cp "$here/image/alluxio.sh" "$rootfs/opt/alluxio/bin/alluxio"
cp "$here/image/standin-ready.sh" "$rootfs/opt/alluxio/bin/alluxio-standin-ready"
cp "$here/image/standin-lib.sh" "$here/image/standin-report.awk" "$rootfs/opt/alluxio/libexec/"
chmod 0755 "$rootfs/entrypoint.sh" "$rootfs/opt/alluxio/bin/alluxio" "$rootfs/opt/alluxio/bin/alluxio-standin-ready"
chmod 0644 "$rootfs/opt/alluxio/libexec/standin-lib.sh" "$rootfs/opt/alluxio/libexec/standin-report.awk"

standin_import_all "alluxio-standin:$tag" "$rootfs" "$@" -- \
    --change 'ENTRYPOINT ["/entrypoint.sh"]' \
    --change 'ENV ALLUXIO_HOME=/opt/alluxio' \
    --change 'ENV PATH=/opt/alluxio/bin:/usr/sbin:/usr/bin:/sbin:/bin'
