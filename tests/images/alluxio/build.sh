#!/usr/bin/env bash
# Build the lab's REAL Alluxio 2.9.6 image offline (no Docker engine, no Docker Hub):
#   - Alluxio's jars come from Maven Central (pom.xml, settings.xml in this directory);
#   - the root filesystem is Debian (debootstrap --variant=minbase) with Debian's OpenJDK 17 and tini;
#   - the launcher (entrypoint.sh, bin/alluxio) and configuration are this directory's rootfs/ tree.
# Output: a docker-archive tar (what `docker load` reads) tagged lab/alluxio:2.9.6, three layers
# (Debian+Java, Alluxio jars, launcher+config), each cached on its own so that editing the launcher only
# rebuilds the small top layer.
#
# Beside it, from the same cache: java17-base.tar, the base layer alone tagged lab/java17-base:bookworm
# (the lab's Spark image builds on it).
#
# Usage: bash tests/images/alluxio/build.sh [OUT_DIR]
#        bash tests/images/alluxio/build.sh --base-image
# The last line of stdout is the path of the image tar (inside OUT_DIR when given, else in the cache), or
# with --base-image, of the base image tar in the cache.
# Needs root (debootstrap, file ownership), debootstrap, mvn, jq, unzip, sha256sum.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALLUXIO_VERSION=2.9.6
IMAGE_REF=lab/alluxio:$ALLUXIO_VERSION
DEBIAN_SUITE=${ALLUXIO_IMAGE_SUITE:-bookworm}
DEBIAN_MIRROR=http://deb.debian.org/debian
JAVA_PACKAGE=openjdk-17-jre-headless
JAVA_HOME_IN_IMAGE=/usr/lib/jvm/java-17-openjdk-amd64
# procps: ps/top for debugging a pod; bash is in minbase already.
BASE_PACKAGES="$JAVA_PACKAGE,tini,procps"
LAB_CACHE=${LAB_CACHE:-/var/cache/dataplane-alluxio-spark-lab}
CACHE=$LAB_CACHE/alluxio-image
MAVEN_REPO=$LAB_CACHE/maven-repo
BASE_IMAGE_REF=lab/java17-base:$DEBIAN_SUITE
PRINT_BASE_IMAGE=
if [ "${1:-}" = --base-image ]; then
    PRINT_BASE_IMAGE=1
    shift
fi
OUT_DIR=${1:-}

log() { printf '[alluxio-image] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and the image's file ownership need it)"
for tool in debootstrap mvn jq unzip sha256sum tar; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y --no-install-recommends $tool)"
done

# --- cache keys ------------------------------------------------------------------------------------------
# hash of the named files' paths and contents, plus extra strings
hash_of() { # STRING... -- FILE...
    local strings=() files=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do strings+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    files=("$@")
    {
        printf '%s\n' "${strings[@]}"
        if [ ${#files[@]} -gt 0 ]; then
            (cd "$HERE" && sha256sum -- "${files[@]}" && stat -c '%n %a' -- "${files[@]}")
        fi
    } | sha256sum | cut -c1-16
}
mapfile -t ALL_INPUTS < <(cd "$HERE" && find . -type f ! -name '*.md' | LC_ALL=C sort)
mapfile -t TOP_INPUTS < <(cd "$HERE" && find ./rootfs ./conf -type f | LC_ALL=C sort)
BUILD_FORMAT=1  # bump when this script changes what it produces from the same inputs
BASE_KEY=$(hash_of "format=$BUILD_FORMAT" "suite=$DEBIAN_SUITE" "mirror=$DEBIAN_MIRROR" "packages=$BASE_PACKAGES" \
    "base=$(sed -n '/^build_base()/,/^}/p' "$HERE/build.sh" | sha256sum)")
LIB_KEY=$(hash_of "format=$BUILD_FORMAT" "alluxio=$ALLUXIO_VERSION" \
    "lib=$(sed -n '/^build_lib()/,/^}/p' "$HERE/build.sh" | sha256sum)" -- ./pom.xml ./settings.xml)
TOP_KEY=$(hash_of "format=$BUILD_FORMAT" "base=$BASE_KEY" "java=$JAVA_HOME_IN_IMAGE" \
    "top=$(sed -n '/^build_top()/,/^}/p' "$HERE/build.sh" | sha256sum)" -- "${TOP_INPUTS[@]}")
IMAGE_KEY=$(hash_of "format=$BUILD_FORMAT" "alluxio=$ALLUXIO_VERSION" "suite=$DEBIAN_SUITE" \
    "java=$JAVA_PACKAGE" "$BASE_KEY" "$LIB_KEY" "$TOP_KEY" -- "${ALL_INPUTS[@]}")

mkdir -p "$CACHE/layers" "$CACHE/images" "$CACHE/debs" "$CACHE/tmp" "$MAVEN_REPO"
IMAGE_DIR=$CACHE/images/$IMAGE_KEY
BASE_IMAGE_TAR=$IMAGE_DIR/java17-base.tar

publish() { # print the result path as the last line of stdout
    local tar=$IMAGE_DIR/image.tar
    if [ -n "$PRINT_BASE_IMAGE" ]; then
        printf '%s\n' "$BASE_IMAGE_TAR"
        return 0
    fi
    if [ -n "$OUT_DIR" ]; then
        mkdir -p "$OUT_DIR"
        local dest
        dest=$(cd "$OUT_DIR" && pwd)/alluxio-$ALLUXIO_VERSION.tar
        if [ ! "$dest" -ef "$tar" ]; then   # a hard link from an earlier run is already up to date
            rm -f "$dest.tmp"
            ln "$tar" "$dest.tmp" 2>/dev/null || cp "$tar" "$dest.tmp"
            mv -f "$dest.tmp" "$dest"
        fi
        cp "$IMAGE_DIR/build.json" "$(dirname "$dest")/alluxio-$ALLUXIO_VERSION.build.json"
        tar=$dest
    fi
    printf '%s\n' "$tar"
}

if [ -f "$IMAGE_DIR/image.tar" ] && [ -f "$BASE_IMAGE_TAR" ] && [ -f "$IMAGE_DIR/build.json" ]; then
    echo "cache hit: $IMAGE_REF ($IMAGE_KEY)"
    publish
    exit 0
fi
echo "cache miss: building $IMAGE_REF ($IMAGE_KEY)"

WORK=$(mktemp -d "$CACHE/tmp/build.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
declare -A SECONDS_OF=()
declare -A SOURCE_OF=()

elapsed() { # START (date +%s.%N) -> seconds with one decimal
    awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

# A layer tar with stable content: sorted names, mtime 0, numeric owners kept (uid 1000 directories).
layer_tar() { # DIR OUT
    tar --sort=name --mtime=@0 --numeric-owner -C "$1" -cf "$2" .
}

# --- phase 1: debootstrap (base layer) ------------------------------------------------------------------
build_base() { # OUT_TAR
    local root=$WORK/base
    # --cache-dir keeps the downloaded .debs between builds (debootstrap still verifies them)
    debootstrap --variant=minbase --include="$BASE_PACKAGES" --cache-dir="$CACHE/debs" \
        "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    [ -x "$root$JAVA_HOME_IN_IMAGE/bin/java" ] || die "no java at $JAVA_HOME_IN_IMAGE in the root filesystem"
    # Pods get new IPs when they restart: never cache name lookups forever (the official image does this too).
    # Debian's conf/security/java.security is an absolute symlink into /etc: resolve it inside the new root
    # (writing through "$root/..." would follow it to the BUILD HOST's file).
    local sec
    sec=$(chroot "$root" readlink -f "$JAVA_HOME_IN_IMAGE/conf/security/java.security")
    case $sec in /*) ;; *) die "cannot resolve java.security in the root filesystem" ;; esac
    [ ! -L "$root$sec" ] || die "$sec is still a symlink"
    printf '\n# lab image: pods change IPs on restart\nnetworkaddress.cache.ttl=0\n' >>"$root$sec"
    chroot "$root" grep -qx 'networkaddress.cache.ttl=0' "$JAVA_HOME_IN_IMAGE/conf/security/java.security" ||
        die "networkaddress.cache.ttl=0 did not land in the image's java.security"
    # A runtime needs no docs, man pages, translations, apt indexes or the host's identity. Every container
    # start on the lab copies the whole image (docker vfs storage driver), so each MB counts.
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
        "$root"/usr/share/lintian "$root"/usr/share/locale/* \
        "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
        "$root"/var/log/* "$root"/tmp/* "$root"/root/.bash_history \
        "$root$JAVA_HOME_IN_IMAGE"/man "$root$JAVA_HOME_IN_IMAGE"/docs
    # keep it that way if someone apt-installs into a derived image
    cat >"$root/etc/dpkg/dpkg.cfg.d/01-lab-nodoc" <<'DPKG'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
DPKG
    # the container runtime provides these; debootstrap copied the build host's (rm first: never write
    # through a symlink)
    rm -f "$root/etc/resolv.conf" "$root/etc/hostname" "$root/etc/hosts"
    : >"$root/etc/resolv.conf"
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
    chroot "$root" dpkg-query -W -f "\${Package} \${Version}\n" >"$WORK/base-packages.txt"
    layer_tar "$root" "$1"
    rm -rf "$root"
}

# --- phase 2: Maven (jars layer) ------------------------------------------------------------------------
build_lib() { # OUT_TAR
    local root=$WORK/lib home=$WORK/lib/opt/alluxio
    local mvn=(mvn -B -q -C -s "$HERE/settings.xml" -f "$HERE/pom.xml" "-Dmaven.repo.local=$MAVEN_REPO")
    mkdir -p "$home/lib" "$home/client" "$WORK/client"
    "${mvn[@]}" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$home/lib" \
        >"$WORK/mvn-lib.log" 2>&1 || { cat "$WORK/mvn-lib.log" >&2; die "mvn copy-dependencies failed"; }
    # The shaded client's published POM is not dependency-reduced: copy the one artifact, no transitives.
    "${mvn[@]}" dependency:copy "-Dartifact=org.alluxio:alluxio-shaded-client:$ALLUXIO_VERSION" \
        "-DoutputDirectory=$WORK/client" >"$WORK/mvn-client.log" 2>&1 ||
        { cat "$WORK/mvn-client.log" >&2; die "mvn copy of alluxio-shaded-client failed"; }
    mv "$WORK/client/alluxio-shaded-client-$ALLUXIO_VERSION.jar" "$home/client/alluxio-$ALLUXIO_VERSION-client.jar"
    # No Alluxio version outside 2.9.6 may slip in (the 3.x line shares the groupId).
    local stray
    stray=$(find "$home/lib" -name 'alluxio-*.jar' ! -name "alluxio-*-$ALLUXIO_VERSION.jar" -printf '%f ')
    [ -z "$stray" ] || die "Alluxio jars of another version in lib/: $stray"
    # Exactly one SLF4J binding, or logging silently goes to whichever comes first on the classpath.
    local jar bindings=()
    for jar in "$home"/lib/*.jar; do
        if unzip -Z1 "$jar" | grep -qxE 'org/slf4j/impl/StaticLoggerBinder.class|META-INF/services/org.slf4j.spi.SLF4JServiceProvider'; then
            bindings+=("${jar##*/}")
        fi
    done
    [ "${#bindings[@]}" -eq 1 ] || die "expected exactly one SLF4J binding in lib/, found: ${bindings[*]:-none}"
    [ "${bindings[0]}" = slf4j-reload4j-1.7.34.jar ] || die "unexpected SLF4J binding ${bindings[0]} (log4j.properties is for reload4j)"
    # Alluxio's LICENSE/NOTICE: of the 2.9.6 jars on Central only the shaded client carries them.
    unzip -p "$home/client/alluxio-$ALLUXIO_VERSION-client.jar" META-INF/LICENSE >"$home/LICENSE"
    unzip -p "$home/client/alluxio-$ALLUXIO_VERSION-client.jar" META-INF/NOTICE >"$home/NOTICE"
    grep -q 'Alluxio Open Foundation' "$home/LICENSE" || die "META-INF/LICENSE of the shaded client is not Alluxio's"
    (cd "$home/lib" && ls) >"$WORK/lib-jars.txt"
    chmod -R u=rwX,go=rX "$root"
    chown -R 0:0 "$root"
    du -sb "$home/lib" | cut -f1 >"$WORK/lib-bytes"
    stat -c %s "$home/client/alluxio-$ALLUXIO_VERSION-client.jar" >"$WORK/client-bytes"
    layer_tar "$root" "$1"
    rm -rf "$root"
}

# --- phase 3: launcher, config, user, writable dirs (top layer) ----------------------------------------
build_top() { # BASE_TAR OUT_TAR
    local root=$WORK/top
    mkdir -p "$root"
    cp -a "$HERE/rootfs/." "$root/"
    chown -R 0:0 "$root"
    chmod 0755 "$root/entrypoint.sh" "$root/opt/alluxio/bin/alluxio"
    mkdir -p "$root/opt/alluxio/conf" "$root/opt/alluxio/logs/user" "$root/journal" "$root/etc" \
        "$root/opt/alluxio/underFSStorage" "$root/opt/alluxio/metastore"
    cp "$HERE/conf/log4j.properties" "$HERE/conf/alluxio-site.properties" "$root/opt/alluxio/conf/"
    # user alluxio, uid/gid 1000, as in Alluxio's own image (the chart's pods run as 1000:1000, fsGroup 1000)
    tar -xOf "$1" ./etc/passwd >"$root/etc/passwd"
    tar -xOf "$1" ./etc/group >"$root/etc/group"
    grep -q '^alluxio:' "$root/etc/passwd" ||
        echo 'alluxio:x:1000:1000:Alluxio:/opt/alluxio:/bin/bash' >>"$root/etc/passwd"
    grep -q '^alluxio:' "$root/etc/group" || echo 'alluxio:x:1000:' >>"$root/etc/group"
    chmod 0644 "$root/etc/passwd" "$root/etc/group"
    # written by the processes running as uid 1000: logs, the journal, the default local root UFS
    # (\${alluxio.work.dir}/underFSStorage) and the default ROCKS metastore dir
    chown -R 1000:1000 "$root/opt/alluxio/logs" "$root/journal" "$root/opt/alluxio/underFSStorage" \
        "$root/opt/alluxio/metastore"
    chmod 0775 "$root/opt/alluxio/logs" "$root/opt/alluxio/logs/user" "$root/journal" \
        "$root/opt/alluxio/underFSStorage" "$root/opt/alluxio/metastore"
    layer_tar "$root" "$2"
    rm -rf "$root"
}

# Build a layer unless the cache has it. Records the phase's seconds.
cached_layer() { # NAME KEY BUILD_FN [ARGS...]
    local name=$1 key=$2 fn=$3 out=$CACHE/layers/$1-$2.tar start
    shift 3
    start=$(date +%s.%N)
    if [ -f "$out" ]; then
        log "$name layer: cached ($key)"
        SOURCE_OF[$name]=cached
    else
        log "$name layer: building ($key)"
        "$fn" "$@" "$WORK/$name.tar"
        mv "$WORK/$name.tar" "$out"
        for f in base-packages.txt lib-jars.txt lib-bytes client-bytes; do
            [ ! -f "$WORK/$f" ] || mv "$WORK/$f" "$CACHE/layers/$name-$key.$f"
        done
        SOURCE_OF[$name]=built
    fi
    SECONDS_OF[$name]=$(elapsed "$start")
    log "$name layer: ${SECONDS_OF[$name]} s"
}

cached_layer lib "$LIB_KEY" build_lib                      # phase "maven"
cached_layer base "$BASE_KEY" build_base                   # phase "debootstrap"
BASE_TAR=$CACHE/layers/base-$BASE_KEY.tar
cached_layer top "$TOP_KEY" build_top "$BASE_TAR"          # phase "assembly"

# --- phase 4: the docker-archive tars -------------------------------------------------------------------
layer_tar_of() { # NAME -> the cached layer tar
    case $1 in base) echo "$CACHE/layers/base-$BASE_KEY.tar" ;; lib) echo "$CACHE/layers/lib-$LIB_KEY.tar" ;;
        top) echo "$CACHE/layers/top-$TOP_KEY.tar" ;; esac
}
history_of() { # NAME
    case $1 in base) echo "debootstrap minbase + JRE (tests/images/alluxio)" ;;
        lib) echo "Alluxio jars from Maven Central (tests/images/alluxio)" ;;
        top) echo "launcher and config (tests/images/alluxio)" ;; esac
}
# A docker-archive (what `docker load` reads) of the named cached layers, hard-linked, not copied.
image_tar() { # OUT REF CONFIG_JSON LAYER_NAME...
    local out=$1 ref=$2 config=$3 img name src id
    shift 3
    img=$(mktemp -d "$WORK/image.XXXXXX")
    local diff_ids=() layer_paths=() history=()
    for name in "$@"; do
        src=$(layer_tar_of "$name")
        id=$(sha256sum "$src" | cut -d' ' -f1)
        mkdir -p "$img/$id"
        ln "$src" "$img/$id/layer.tar" 2>/dev/null || cp "$src" "$img/$id/layer.tar"
        diff_ids+=("sha256:$id")
        layer_paths+=("$id/layer.tar")
        history+=("$(history_of "$name")")
    done
    jq -n --argjson config "$config" --argjson diff_ids "$(printf '%s\n' "${diff_ids[@]}" | jq -R . | jq -s .)" \
        --args '{architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
          config: $config, rootfs: {type: "layers", diff_ids: $diff_ids},
          history: [$ARGS.positional[] | {created: "1970-01-01T00:00:00Z", created_by: .}]}' \
        "${history[@]}" >"$img/config.json"
    local config_sha
    config_sha=$(sha256sum "$img/config.json" | cut -d' ' -f1)
    mv "$img/config.json" "$img/$config_sha.json"
    jq -n --arg cfg "$config_sha.json" --arg ref "$ref" --args \
        '[{Config: $cfg, RepoTags: [$ref], Layers: $ARGS.positional}]' "${layer_paths[@]}" >"$img/manifest.json"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$img" -cf "$out" .
    rm -rf "$img"
}

start=$(date +%s.%N)
mkdir -p "$WORK/out"
system_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
image_tar "$WORK/out/image.tar" "$IMAGE_REF" "$(jq -n \
    --arg path "/opt/alluxio/bin:$system_path" --arg java "$JAVA_HOME_IN_IMAGE" --arg v "$ALLUXIO_VERSION" \
    '{User: "1000", WorkingDir: "/opt/alluxio", Entrypoint: ["/entrypoint.sh"],
      Env: ["PATH=\($path)", "JAVA_HOME=\($java)", "ALLUXIO_HOME=/opt/alluxio"],
      Labels: {"org.alluxio.version": $v, "lab.built-by": "tests/images/alluxio/build.sh"}}')" base lib top
# The base layer alone: Debian with Java 17, tini and procps, the base of the lab's Spark image
# (tests/images/spark), so that it shares its largest layer with this image.
image_tar "$WORK/out/$(basename "$BASE_IMAGE_TAR")" "$BASE_IMAGE_REF" "$(jq -n \
    --arg path "$system_path" --arg java "$JAVA_HOME_IN_IMAGE" \
    '{Env: ["PATH=\($path)", "JAVA_HOME=\($java)"], Labels: {"lab.built-by": "tests/images/alluxio/build.sh"}}')" base
SECONDS_OF[tar]=$(elapsed "$start")
log "image tars: ${SECONDS_OF[tar]} s"

jq -n \
    --arg ref "$IMAGE_REF" --arg key "$IMAGE_KEY" --arg alluxio "$ALLUXIO_VERSION" \
    --arg suite "$DEBIAN_SUITE" --arg mirror "$DEBIAN_MIRROR" --arg packages "$BASE_PACKAGES" \
    --arg java_home "$JAVA_HOME_IN_IMAGE" \
    --arg java_version "$(grep -m1 "^$JAVA_PACKAGE " "$CACHE/layers/base-$BASE_KEY.base-packages.txt" | cut -d' ' -f2)" \
    --argjson t_maven "${SECONDS_OF[lib]}" --argjson t_debootstrap "${SECONDS_OF[base]}" \
    --argjson t_assembly "${SECONDS_OF[top]}" --argjson t_tar "${SECONDS_OF[tar]}" \
    --arg s_maven "${SOURCE_OF[lib]}" --arg s_debootstrap "${SOURCE_OF[base]}" --arg s_assembly "${SOURCE_OF[top]}" \
    --argjson lib_bytes "$(cat "$CACHE/layers/lib-$LIB_KEY.lib-bytes")" \
    --argjson client_bytes "$(cat "$CACHE/layers/lib-$LIB_KEY.client-bytes")" \
    --argjson jar_count "$(wc -l <"$CACHE/layers/lib-$LIB_KEY.lib-jars.txt")" \
    --argjson base_layer_bytes "$(stat -c %s "$CACHE/layers/base-$BASE_KEY.tar")" \
    --argjson lib_layer_bytes "$(stat -c %s "$CACHE/layers/lib-$LIB_KEY.tar")" \
    --argjson top_layer_bytes "$(stat -c %s "$CACHE/layers/top-$TOP_KEY.tar")" \
    --argjson image_bytes "$(stat -c %s "$WORK/out/image.tar")" \
    '{image: $ref, key: $key,
      built_from: {alluxio: $alluxio, maven: "Maven Central via tests/images/alluxio/{pom,settings}.xml",
                   debian: {suite: $suite, mirror: $mirror, include: ($packages | split(","))},
                   java: {package: "openjdk-17-jre-headless", version: $java_version, home: $java_home},
                   launcher: "tests/images/alluxio/rootfs"},
      seconds: {maven: $t_maven, debootstrap: $t_debootstrap, assembly: $t_assembly, tar: $t_tar},
      phase_source: {maven: $s_maven, debootstrap: $s_debootstrap, assembly: $s_assembly},
      bytes: {lib_dir: $lib_bytes, client_jar: $client_bytes, layer_base: $base_layer_bytes,
              layer_lib: $lib_layer_bytes, layer_top: $top_layer_bytes, image_tar: $image_bytes},
      lib_jars: $jar_count}' >"$WORK/out/build.json"

# Publish atomically: the image directory appears complete or not at all.
rm -rf "$IMAGE_DIR"
mv "$WORK/out" "$IMAGE_DIR"
# Older images and layers are not needed for this key; keep the cache from growing without bound.
find "$CACHE/images" -mindepth 1 -maxdepth 1 -type d ! -name "$IMAGE_KEY" -exec rm -rf {} +
find "$CACHE/layers" -maxdepth 1 -type f ! -name "*-$BASE_KEY.*" ! -name "*-$LIB_KEY.*" ! -name "*-$TOP_KEY.*" -delete
log "image: $(du -h "$IMAGE_DIR/image.tar" | cut -f1) $(jq -c .seconds "$IMAGE_DIR/build.json")"
publish
