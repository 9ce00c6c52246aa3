# shellcheck shell=bash
# `lab.sh load TAR...`: puts docker-archive image tars into every node's runtime (docker load, or ctr
# images import on a containerd node), as one does on a registry-less cluster. A node that already has the
# image with the same ID is left alone.

# manifest.json of a docker-archive tar; its members are named with or without a leading ./
tar_manifest() { tar -xOf "$1" manifest.json 2>/dev/null || tar -xOf "$1" ./manifest.json 2>/dev/null; } # TAR

# The image ID a tar carries: the digest of its config file, named in manifest.json.
tar_image_id() { # TAR
    local config
    config=$(tar_manifest "$1" | jq -r '.[0].Config') || return 1
    config=${config#blobs/sha256/}
    echo "sha256:${config%.json}"
}

tar_image_ref() { tar_manifest "$1" | jq -r '.[0].RepoTags[0]'; } # TAR

# containerd's full name of a Docker-style reference (what `ctr images import` records): busybox:1 is
# docker.io/library/busybox:1, lab/alluxio:2.9.6 is docker.io/lab/alluxio:2.9.6.
containerd_ref() { # REF
    local ref=$1 first=${1%%/*}
    case $ref in
        */*) case $first in *.* | *:* | localhost) echo "$ref" ;; *) echo "docker.io/$ref" ;; esac ;;
        *) echo "docker.io/library/$ref" ;;
    esac
}

# A Docker engine by its socket (a node's, or the build engine): the image ID it has under REF, and a load.
engine_image_id() { "$DOCKER" -H "unix://$1" image inspect --format '{{.Id}}' "$2" 2>/dev/null; } # SOCK REF
engine_load() { "$DOCKER" -H "unix://$1" load -q -i "$2" >/dev/null; } # SOCK TAR

# The image ID (config digest) NODE's runtime has under REF, or nothing.
node_image_id() { # NODE REF
    local node=$1 ref=$2 target
    case $(node_runtime "$node") in
        docker) engine_image_id "$(node_docker_sock "$node")" "$ref" ;;
        containerd)
            target=$(node_ctr "$node" images ls "name==$(containerd_ref "$ref")" 2>/dev/null | awk 'NR == 2 { print $3 }')
            [ -n "$target" ] || return 0
            node_ctr "$node" content get "$target" 2>/dev/null | jq -r '.config.digest // empty'
            ;;
    esac
}

# docker load of TAR into the engine at SOCK, unless it has the tar's image under its tag with the same ID.
docker_load_once() { # SOCK TAR WHAT
    local sock=$1 tar=$2 id ref
    id=$(tar_image_id "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    ref=$(tar_image_ref "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    if [ "$(engine_image_id "$sock" "$ref")" = "$id" ]; then
        log "$3: $ref already loaded"
    else
        engine_load "$sock" "$tar" || die "$3: docker load $tar failed"
        log "$3: $ref loaded"
    fi
}

node_load_image() { # NODE TAR: with the node's own runtime
    case $(node_runtime "$1") in
        docker) engine_load "$(node_docker_sock "$1")" "$2" ;;
        containerd) node_ctr "$1" images import "$2" >/dev/null ;;
    esac
}

load_image_everywhere() { # TAR
    local tar=$1 id ref node pids=() failed=0 i
    [ -f "$tar" ] || die "no image tar at $tar"
    id=$(tar_image_id "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    ref=$(tar_image_ref "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    for node in "${LAB_NODES[@]}"; do
        if [ "$(node_image_id "$node" "$ref")" = "$id" ]; then
            log "$node: $ref already loaded"
            continue
        fi
        (node_load_image "$node" "$tar" && log "$node: $ref loaded ($(node_runtime "$node"))") &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || failed=1; done
    [ "$failed" = 0 ] || die "loading $tar failed on at least one node (messages above)"
}

cmd_load_build() { # TAR...: into the build engine (the controller's Docker), where the Spark image is built
    require_root
    [ $# -gt 0 ] || die "usage: lab.sh load-build IMAGE_TAR..."
    recorded_pid build-dockerd >/dev/null || die "the build engine is not running: run bash tests/lab/lab.sh up first"
    local tar
    for tar in "$@"; do
        [ -f "$tar" ] || die "no image tar at $tar"
        docker_load_once "$(build_engine_sock)" "$tar" "build engine"
    done
}

cmd_load() { # TAR...
    require_root
    [ $# -gt 0 ] || die "usage: lab.sh load IMAGE_TAR..."
    lab_healthy || die "the lab is not up: run bash tests/lab/lab.sh up first"
    local tar
    for tar in "$@"; do load_image_everywhere "$tar"; done
}
