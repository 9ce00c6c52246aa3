# shellcheck shell=bash
# `lab.sh load TAR...`: puts docker-archive image tars into every node's engine, as one does on a
# registry-less cluster. An engine that already has the image with the same ID is left alone.

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

load_image_everywhere() { # TAR
    local tar=$1 id ref node sock pids=() failed=0 i
    [ -f "$tar" ] || die "no image tar at $tar"
    id=$(tar_image_id "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    ref=$(tar_image_ref "$tar") || die "$tar is not a docker-archive image tar (no manifest.json)"
    for node in "${LAB_NODES[@]}"; do
        sock=$(node_docker_sock "$node")
        if [ "$("$DOCKER" -H "unix://$sock" image inspect --format '{{.Id}}' "$ref" 2>/dev/null)" = "$id" ]; then
            log "$node: $ref already loaded"
            continue
        fi
        ("$DOCKER" -H "unix://$sock" load -q -i "$tar" >/dev/null && log "$node: $ref loaded") &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || failed=1; done
    [ "$failed" = 0 ] || die "docker load of $tar failed on at least one node (messages above)"
}

cmd_load() { # TAR...
    require_root
    [ $# -gt 0 ] || die "usage: lab.sh load IMAGE_TAR..."
    lab_healthy || die "the lab is not up: run bash tests/lab/lab.sh up first"
    local tar
    for tar in "$@"; do load_image_everywhere "$tar"; done
}
