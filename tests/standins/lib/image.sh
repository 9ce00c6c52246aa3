#!/bin/sh
# Helpers of the stand-in image builder (sourced by spark-operator/build-image.sh, never run). The lab
# has no registry and no internet, so an image is a busybox rootfs imported into every node's own Docker,
# and from there saved into the containerd of a node that runs containerd.

standin_die() {
    echo "standin: $*" >&2
    exit 1
}

# standin_base_rootfs DIR: a static busybox with one symlink per applet, plus the directories a
# container needs. busybox must be static: the rootfs has no libc.
standin_base_rootfs() {
    busybox=${STANDIN_BUSYBOX:-/bin/busybox}
    if [ ! -x "$busybox" ]; then
        standin_die "$busybox is missing; install it with: apt-get -o DPkg::Lock::Timeout=600 install -y busybox-static"
    fi
    if ldd "$busybox" 2>/dev/null | grep -q '=>'; then
        standin_die "$busybox is not statically linked (install busybox-static, not busybox)"
    fi
    mkdir -p "$1/bin" "$1/sbin" "$1/usr/bin" "$1/usr/sbin" "$1/tmp" "$1/etc" "$1/proc" "$1/sys" "$1/dev" "$1/root"
    chmod 1777 "$1/tmp"
    cp "$busybox" "$1/bin/busybox"
    # --list-full names each applet with its usual directory (bin/sh, usr/bin/awk, ...)
    "$busybox" --list-full | while read -r applet; do
        if [ "$applet" != bin/busybox ] && [ ! -e "$1/$applet" ]; then
            ln -s /bin/busybox "$1/$applet"
        fi
    done
    # kubelet bind-mounts /etc/hosts and friends; id and ps want these two
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
    printf 'root:x:0:\n' >"$1/etc/group"
}

# standin_rootfs_tar DIR: a reproducible tar of DIR on stdout (sorted, fixed owners and times), so
# the same content always has the same hash.
standin_rootfs_tar() {
    tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - .
}

# standin_node_sockets INVENTORY: the runtime socket (lab_docker_host_socket or lab_containerd_host_socket)
# of every node in the lab inventory.
standin_node_sockets() {
    if [ ! -f "$1" ]; then
        standin_die "no lab inventory at $1: set LAB_INVENTORY or pass the nodes' runtime sockets as arguments"
    fi
    sed -n 's/^[[:space:]]*lab_\(docker\|containerd\)_host_socket:[[:space:]]*//p' "$1" | tr -d "\"'"
}

# standin_is_containerd SOCKET: true for a containerd socket (named containerd.sock), false for Docker's.
standin_is_containerd() {
    [ "$(basename "$1")" = containerd.sock ]
}

# standin_ctr SOCKET ARGS...: ctr in the k8s.io namespace (the one kubelet sees) of one node's containerd.
standin_ctr() {
    socket=$1
    shift
    ctr --address "$socket" --namespace k8s.io "$@"
}

# standin_ctr_image_id SOCKET IMAGE: the config digest (Docker's image ID) containerd has for IMAGE, a
# name without a registry (containerd records it as docker.io/library/IMAGE), or nothing.
standin_ctr_image_id() {
    target=$(standin_ctr "$1" images ls "name==docker.io/library/$2" 2>/dev/null | awk 'NR == 2 { print $3 }')
    if [ -n "$target" ]; then
        standin_ctr "$1" content get "$target" | jq -r '.config.digest // empty'
    fi
}

# standin_copy_to_containerd IMAGE FROM_DOCKER_SOCKET CONTAINERD_SOCKET: the image a Docker engine has,
# imported into containerd unless it has the same image ID.
standin_copy_to_containerd() {
    id=$(standin_docker "$2" image inspect --format '{{.Id}}' "$1") ||
        standin_die "$1 is not in the Docker engine at $2"
    if [ "$(standin_ctr_image_id "$3" "$1")" = "$id" ]; then
        echo "$1 on $3: up to date ($id)"
        return 0
    fi
    standin_docker "$2" save "$1" | standin_ctr "$3" images import - >/dev/null ||
        standin_die "ctr images import of $1 into $3 failed"
    echo "$1 on $3: imported from $2 ($id)"
}

# standin_docker SOCKET ARGS...: docker against one lab node's engine.
standin_docker() {
    socket=$1
    shift
    docker -H "unix://$socket" "$@"
}

# standin_import IMAGE ROOTFS SOCKET -- CHANGE...: import ROOTFS as IMAGE into the Docker engine at
# SOCKET with the Dockerfile CHANGEs (--change pairs), unless it already has IMAGE with the same
# content. The content hash travels in the image's environment: docker import cannot set labels.
standin_import() {
    image=$1
    rootfs=$2
    node_socket=$3
    if [ "${4:-}" != -- ]; then
        standin_die "standin_import: expected -- after the socket"
    fi
    shift 4
    hash=$(standin_rootfs_tar "$rootfs" | sha256sum | cut -d' ' -f1)
    if ! standin_docker "$node_socket" version >/dev/null 2>&1; then
        standin_die "no Docker engine answers at $node_socket (is the lab up?)"
    fi
    old_id=$(standin_docker "$node_socket" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
    if [ -n "$old_id" ] &&
        standin_docker "$node_socket" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" |
        grep -qx "STANDIN_CONTENT_SHA256=$hash"; then
        echo "$image on $node_socket: up to date (content $hash)"
        return 0
    fi
    standin_rootfs_tar "$rootfs" |
        standin_docker "$node_socket" import "$@" --change "ENV STANDIN_CONTENT_SHA256=$hash" - "$image" >/dev/null
    echo "$image on $node_socket: imported (content $hash)"
    if [ -n "$old_id" ]; then
        # The replaced build is now untagged; drop it unless a container still uses it.
        standin_docker "$node_socket" image rm "$old_id" >/dev/null 2>&1 || true
    fi
}

# standin_import_all IMAGE ROOTFS [SOCKET...] -- CHANGE...: standin_import into the given sockets,
# or into every node of the lab inventory $LAB_INVENTORY.
standin_import_all() {
    image=$1
    rootfs=$2
    shift 2
    sockets_file=$(mktemp)
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        echo "$1" >>"$sockets_file"
        shift
    done
    if [ $# -eq 0 ]; then
        rm -f "$sockets_file"
        standin_die "standin_import_all: expected -- before the changes"
    fi
    shift
    if [ ! -s "$sockets_file" ]; then
        standin_node_sockets "$LAB_INVENTORY" >"$sockets_file"
    fi
    if [ ! -s "$sockets_file" ]; then
        rm -f "$sockets_file"
        standin_die "no node sockets found (lab inventory without lab_docker_host_socket?)"
    fi
    status=0
    # Docker engines first: docker import builds the image there, and a containerd node gets it from one.
    docker_socket=""
    while read -r node_socket <&3; do
        standin_is_containerd "$node_socket" && continue
        (standin_import "$image" "$rootfs" "$node_socket" -- "$@") || status=1
        docker_socket=${docker_socket:-$node_socket}
    done 3<"$sockets_file"
    while read -r node_socket <&3; do
        standin_is_containerd "$node_socket" || continue
        if [ -z "$docker_socket" ]; then
            echo "standin: $node_socket: no Docker engine among the sockets to build $image in" >&2
            status=1
            continue
        fi
        (standin_copy_to_containerd "$image" "$docker_socket" "$node_socket") || status=1
    done 3<"$sockets_file"
    rm -f "$sockets_file"
    return "$status"
}
