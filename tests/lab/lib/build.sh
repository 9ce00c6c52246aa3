# shellcheck shell=bash disable=SC2034 # LAB_BIN, LAB_IMAGES, LAB_BUILD_DIR are read by lab.sh and nodes.sh
# Kubernetes v1.20.2 server binaries and the two node images, built offline and cached per machine.
#
# Cache layout (outside any checkout, so every clone on the machine reuses it):
#   $LAB_CACHE/k8s-<source version>-<recipe sha>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kubectl}
#   $LAB_CACHE/k8s-<...>/images/{pause.tar,busybox.tar}   docker-archive tars, `docker load`-able
#   $LAB_CACHE/k8s-<...>/build.json                       what was built, from what, how long it took
#   $LAB_CACHE/src/                                       the downloaded source package (kept: no re-download)
# A build happens in $LAB_CACHE/work and is renamed into place only when complete, so an interrupted
# build never leaves a half cache behind.

LAB_BUILD_TARGETS=(cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet cmd/kube-proxy cmd/kubectl)
LAB_PATCH_SCRIPT=$LAB_DIR/build/patch-kubernetes.sh
LAB_BUILD_LOG_DIR=$LAB_CACHE/logs

# The recipe hash: the patch script, the targets, the Go toolchain and the image recipe version. Any change
# there means different binaries, hence a different cache directory.
LAB_IMAGE_RECIPE=1
recipe_sha() {
    {
        cat "$LAB_PATCH_SCRIPT"
        printf '%s\n' "${LAB_BUILD_TARGETS[@]}" "image-recipe=$LAB_IMAGE_RECIPE"
        dpkg-query -W -f '${Version}\n' golang-go golang-github-modern-go-reflect2-dev 2>/dev/null || true
    } | sha256sum | cut -c1-12
}
cache_dir_for() { echo "$LAB_CACHE/k8s-$1-$(recipe_sha)"; } # VERSION

# Private apt configuration: our own sources list and lists directory, so /etc/apt and the system's package
# lists and caches are never touched.
private_apt() { # apt-get|apt-cache ARGS...
    local tool=$1
    shift
    "$tool" -o Dir::Etc::sourcelist="$LAB_CACHE/apt/sources.list" -o Dir::Etc::sourceparts=- \
        -o Dir::State::Lists="$LAB_CACHE/apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= "$@"
}
private_apt_update() {
    mkdir -p "$LAB_CACHE/apt/lists/partial"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg suite
    : >"$LAB_CACHE/apt/sources.list"
    for suite in "bookworm main" "bookworm-updates main"; do
        printf 'deb [signed-by=%s] http://deb.debian.org/debian %s\n' "$keyring" "$suite" >>"$LAB_CACHE/apt/sources.list"
        printf 'deb-src [signed-by=%s] http://deb.debian.org/debian %s\n' "$keyring" "$suite" >>"$LAB_CACHE/apt/sources.list"
    done
    printf 'deb [signed-by=%s] http://deb.debian.org/debian-security bookworm-security main\n' "$keyring" >>"$LAB_CACHE/apt/sources.list"
    printf 'deb-src [signed-by=%s] http://deb.debian.org/debian-security bookworm-security main\n' "$keyring" >>"$LAB_CACHE/apt/sources.list"
    private_apt apt-get -q update >"$LAB_BUILD_LOG_DIR/apt-source-update.log" 2>&1 ||
        die "could not read the Debian source index (deb.debian.org); see $LAB_BUILD_LOG_DIR/apt-source-update.log"
}

# Downloads the source package into $LAB_CACHE/src and prints the version obtained. The pinned version is
# preferred; if the archive dropped it (a newer security upload replaced it), the newest one is used.
fetch_source() {
    local version=$1 src=$LAB_CACHE/src
    mkdir -p "$src"
    if ls "$src/${LAB_KUBE_SRC_PACKAGE}_${version#*:}.dsc" >/dev/null 2>&1; then
        echo "$version"
        return 0
    fi
    private_apt_update
    if ! (cd "$src" && private_apt apt-get -q source --download-only "$LAB_KUBE_SRC_PACKAGE=$version") \
        >"$LAB_BUILD_LOG_DIR/apt-source.log" 2>&1; then
        local newest
        newest=$(private_apt apt-cache showsrc "$LAB_KUBE_SRC_PACKAGE" 2>/dev/null | awk '/^Version:/ { print $2 }' |
            sort -V | tail -n1)
        [ -n "$newest" ] || die "Debian source package $LAB_KUBE_SRC_PACKAGE not found; see $LAB_BUILD_LOG_DIR/apt-source.log"
        warn "$LAB_KUBE_SRC_PACKAGE $version is no longer in the archive; building $newest (set LAB_KUBE_SRC_VERSION to pin it)"
        version=$newest
        (cd "$src" && private_apt apt-get -q source --download-only "$LAB_KUBE_SRC_PACKAGE=$version") \
            >"$LAB_BUILD_LOG_DIR/apt-source.log" 2>&1 ||
            die "apt-get source $LAB_KUBE_SRC_PACKAGE=$version failed; see $LAB_BUILD_LOG_DIR/apt-source.log"
    fi
    echo "$version"
}

# Sets LAB_BIN, LAB_IMAGES and LAB_BUILD_SECONDS (0 on a cache hit), building first when needed.
ensure_build() {
    mkdir -p "$LAB_BUILD_LOG_DIR"
    local version=$LAB_KUBE_SRC_VERSION dir
    dir=$(cache_dir_for "$version")
    LAB_BUILD_SECONDS=0
    if [ ! -f "$dir/build.json" ]; then
        local started
        started=$(date +%s)
        log "no cached build for $LAB_KUBE_SRC_PACKAGE $version (recipe $(recipe_sha)); building, about 7 minutes on 2 cores"
        version=$(fetch_source "$version")
        dir=$(cache_dir_for "$version")
        if [ ! -f "$dir/build.json" ]; then
            build_into "$version" "$dir"
            LAB_BUILD_SECONDS=$(($(date +%s) - started))
            log "build done in ${LAB_BUILD_SECONDS}s, cached in $dir"
        fi
    fi
    LAB_BUILD_DIR=$dir
    LAB_BIN=$dir/bin
    LAB_IMAGES=$dir/images
}

build_into() { # VERSION DEST
    local version=$1 dest=$2 work=$LAB_CACHE/work started=$SECONDS
    local upstream=${version#*:}
    upstream=${upstream%-*}
    local orig=$LAB_CACHE/src/${LAB_KUBE_SRC_PACKAGE}_${upstream}.orig.tar.gz
    [ -f "$orig" ] || die "source tarball $orig missing after download"
    rm -rf "$work"
    mkdir -p "$work/tree" "$work/home" "$work/out/bin" "$work/out/images"
    log "unpacking $(basename "$orig")"
    tar -xzf "$orig" -C "$work/tree" --strip-components=1
    bash "$LAB_PATCH_SCRIPT" "$work/tree" >"$LAB_BUILD_LOG_DIR/patch.log" 2>&1 ||
        die "patching the source failed: $(tail -n3 "$LAB_BUILD_LOG_DIR/patch.log")"
    log "$(tail -n1 "$LAB_BUILD_LOG_DIR/patch.log")"

    local buildlog=$LAB_BUILD_LOG_DIR/make-$version.log
    log "compiling ${LAB_BUILD_TARGETS[*]} (log: $buildlog)"
    (
        cd "$work/tree" || exit 1
        mkdir -p .go/src/k8s.io
        ln -sfn ../../.. .go/src/k8s.io/kubernetes
        # Offline and reproducible: vendored modules only, no proxy, static binaries.
        export GOPATH=$PWD/.go GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 GO111MODULE=on
        export HOME=$work/home GOCACHE=$work/gocache GOTMPDIR=$work/home
        exec make WHAT="${LAB_BUILD_TARGETS[*]}"
    ) >"$buildlog" 2>&1 &
    local make_pid=$! rc=0
    # Images are built meanwhile (they need no Go), and a heartbeat keeps CI logs alive.
    build_images "$work/tree" "$work/out/images"
    local next_beat=$((SECONDS + 60))
    while kill -0 "$make_pid" 2>/dev/null; do
        sleep 2
        if ((SECONDS >= next_beat)); then
            log "still compiling: $(tail -n1 "$buildlog" | tr -s ' ')"
            next_beat=$((SECONDS + 60))
        fi
    done
    wait "$make_pid" || rc=$?
    [ "$rc" = 0 ] || die "kubernetes build failed (exit $rc); last lines of $buildlog:
$(tail -n 20 "$buildlog")"
    local target
    for target in "${LAB_BUILD_TARGETS[@]}"; do
        install -m 0755 "$work/tree/_output/bin/${target#cmd/}" "$work/out/bin/"
    done
    jq -n --arg version "$version" --arg recipe "$(recipe_sha)" --arg go "$(go version)" \
        --arg built "$(date -u +%FT%TZ)" --argjson seconds "$((SECONDS - started))" \
        --arg targets "${LAB_BUILD_TARGETS[*]}" \
        '{source_package: "kubernetes", source_version: $version, recipe_sha: $recipe, go: $go,
          built_at: $built, targets: ($targets | split(" ")), build_seconds: $seconds}' \
        >"$work/out/build.json"
    rm -rf "$dest"
    mv "$work/out" "$dest"
    # The tree, Go cache and objects are several GB; only the outputs are worth keeping.
    rm -rf "$work"
}

# ---------------------------------------------------------------- images
# Nothing can be pulled, and `docker import` needs a running engine; instead the image tars are written
# directly in the docker-archive format that `docker load` reads (manifest.json + config + one layer).
write_image_tar() { # OUT_TAR REPO:TAG ROOTFS_DIR CONFIG_JSON
    local out=$1 ref=$2 rootfs=$3 config=$4 tmp diff_id config_sha
    tmp=$(mktemp -d)
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$tmp/layer.tar" .
    diff_id=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
    mkdir "$tmp/$diff_id"
    mv "$tmp/layer.tar" "$tmp/$diff_id/layer.tar"
    jq -n --argjson config "$config" --arg diff "sha256:$diff_id" \
        '{architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z", config: $config,
          rootfs: {type: "layers", diff_ids: [$diff]}, history: [{created: "1970-01-01T00:00:00Z", created_by: "tests/lab"}]}' \
        >"$tmp/config.json"
    config_sha=$(sha256sum "$tmp/config.json" | cut -d' ' -f1)
    mv "$tmp/config.json" "$tmp/$config_sha.json"
    jq -n --arg cfg "$config_sha.json" --arg ref "$ref" --arg layer "$diff_id/layer.tar" \
        '[{Config: $cfg, RepoTags: [$ref], Layers: [$layer]}]' >"$tmp/manifest.json"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tmp" -cf "$out" .
    rm -rf "$tmp"
}

build_images() { # SOURCE_TREE OUT_DIR
    local tree=$1 out=$2 rootfs
    # pause: the sandbox container of every pod, compiled statically from the same source tree.
    local pause_c=$tree/build/pause/linux/pause.c
    [ -f "$pause_c" ] || die "build/pause/linux/pause.c not found in the source tree"
    rootfs=$(mktemp -d)
    chmod 0755 "$rootfs"   # becomes the container's /
    gcc -Os -static -Wall -DVERSION=v3.2-lab -o "$rootfs/pause" "$pause_c" ||
        die "gcc -static pause.c failed: install gcc and libc6-dev"
    strip "$rootfs/pause"
    write_image_tar "$out/pause.tar" "$LAB_PAUSE_IMAGE" "$rootfs" '{"Entrypoint": ["/pause"]}'
    rm -rf "$rootfs"

    # busybox: a tiny general-purpose image for test pods, from Debian's busybox-static. The .deb is only
    # unpacked (not installed: it would conflict with a system busybox).
    local deb_dir
    deb_dir=$(mktemp -d)
    (cd "$deb_dir" && private_apt apt-get -q download busybox-static) >"$LAB_BUILD_LOG_DIR/busybox-download.log" 2>&1 ||
        die "apt-get download busybox-static failed; see $LAB_BUILD_LOG_DIR/busybox-download.log"
    rootfs=$(mktemp -d)
    chmod 0755 "$rootfs"
    dpkg-deb -x "$deb_dir"/busybox-static_*.deb "$deb_dir/x"
    mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev}
    chmod 1777 "$rootfs/tmp"
    install -m 0755 "$deb_dir/x/bin/busybox" "$rootfs/bin/busybox"
    local applet
    while read -r applet; do
        [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
    done < <("$rootfs/bin/busybox" --list-full)
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
    write_image_tar "$out/busybox.tar" "$LAB_BUSYBOX_IMAGE" "$rootfs" \
        '{"Cmd": ["sh"], "Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]}'
    rm -rf "$rootfs" "$deb_dir"
}
