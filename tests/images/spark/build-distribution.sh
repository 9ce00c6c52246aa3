#!/usr/bin/env bash
# Assemble a Spark 4.1.4 binary distribution, laid out like Apache's spark-4.1.4-bin-*.tgz, from PyPI's pyspark
# sdist: the lab cannot download the Apache tarball, but it reaches PyPI, and the sdist's deps/ tree carries
# Spark's jars/, bin/, sbin/ and data/. Test stand-ins fill what PyPI lacks: kubernetes/dockerfiles/spark
# (Dockerfile, entrypoint.sh, decom.sh from this directory's dist/ tree) and the examples jar (JavaWordCount from
# examples-standin/, compiled here). The collection's role then builds the Spark image from the distribution with
# its own kubernetes/dockerfiles/spark/Dockerfile, as it would from an Apache tarball.
#
# Usage: bash tests/images/spark/build-distribution.sh
# Output: $LAB_CACHE/spark-distribution/<key>/spark-4.1.4-bin-lab, the key hashing every input file of this
# directory except *.md; $LAB_CACHE/spark-distribution/current points to it. The last line of stdout is its path.
# Needs pip (PyPI), tar, sha256sum, unzip, flock and a JDK 17+ (javac, jar).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SPARK_VERSION=4.1.4
SCALA_BINARY_VERSION=2.13
DIST_NAME=spark-$SPARK_VERSION-bin-lab
EXAMPLES_JAR=spark-examples-standin_$SCALA_BINARY_VERSION-$SPARK_VERSION.jar
REQUIREMENTS=$HERE/requirements.txt
PYTHON=${PYTHON:-python3}
LAB_CACHE=${LAB_CACHE:-/var/cache/dataplane-alluxio-spark-lab}
CACHE=$LAB_CACHE/spark-distribution
SDIST=$CACHE/downloads/pyspark-$SPARK_VERSION.tar.gz
BUILD_FORMAT=1  # bump when this script changes what it produces from the same inputs

log() { printf '[spark-distribution] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- cache key: the contents of every input file (this script and requirements.txt included) ------------
# prepare-lab.sh only uses the result: it is not an input.
mapfile -t INPUTS < <(cd "$HERE" && find . -type f ! -name '*.md' ! -name prepare-lab.sh | LC_ALL=C sort)
KEY=$({
    printf 'format=%s\nspark=%s\n' "$BUILD_FORMAT" "$SPARK_VERSION"
    (cd "$HERE" && sha256sum -- "${INPUTS[@]}")
} | sha256sum | cut -c1-16)
DIST=$CACHE/$KEY/$DIST_NAME

point_current() { # atomically (rename) point $CACHE/current at this key's distribution
    ln -sfn "$KEY/$DIST_NAME" "$CACHE/current.tmp"
    mv -Tf "$CACHE/current.tmp" "$CACHE/current"
}

cache_hit() {
    echo "cache hit: Spark $SPARK_VERSION distribution ($KEY)"
    # keep `current` right when switching back to an older checkout's key
    [ "$(readlink "$CACHE/current" 2>/dev/null)" = "$KEY/$DIST_NAME" ] || point_current
    printf '%s\n' "$DIST"
    exit 0
}

# The key directory appears by rename, complete or not at all.
[ -d "$DIST" ] && cache_hit

for tool in tar sha256sum unzip flock javac jar; do
    command -v "$tool" >/dev/null || die "$tool not found"
done
"$PYTHON" -m pip --version >/dev/null 2>&1 || die "no pip for $PYTHON (set PYTHON=...)"
SDIST_SHA256=$(sed -n "s/^pyspark==$SPARK_VERSION .*--hash=sha256:\([0-9a-f]\{64\}\).*/\1/p" "$REQUIREMENTS")
[ -n "$SDIST_SHA256" ] || die "$REQUIREMENTS has no 'pyspark==$SPARK_VERSION --hash=sha256:...' line"

# One build at a time; a second run for the same key waits here and then finds the result.
mkdir -p "$CACHE/downloads"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
    log "waiting for another build-distribution.sh run (lock $CACHE/.lock)"
    flock 9
fi
[ -d "$DIST" ] && cache_hit
echo "cache miss: assembling Spark $SPARK_VERSION distribution ($KEY)"

# Leftovers of killed runs (the lock says no other run is active).
find "$CACHE" -mindepth 1 -maxdepth 1 -name 'tmp.*' -exec rm -rf {} +
WORK=$(mktemp -d "$CACHE/tmp.XXXXXX")  # inside the cache: the final rename stays on one filesystem
trap 'rm -rf "$WORK"' EXIT

# --- the pyspark sdist, pinned by sha256; kept between builds (455 MB) ------------------------------------
sdist_ok() { [ -f "$SDIST" ] && [ "$(sha256sum "$SDIST" | cut -d' ' -f1)" = "$SDIST_SHA256" ]; }
if sdist_ok; then
    log "pyspark $SPARK_VERSION sdist: cached"
else
    log "pyspark $SPARK_VERSION sdist: downloading from PyPI"
    # --no-cache-dir: the copy kept here is the cache; pip's would be a second 455 MB one
    "$PYTHON" -m pip download --no-deps --no-binary :all: --require-hashes --no-cache-dir \
        --disable-pip-version-check -d "$WORK/download" -r "$REQUIREMENTS" >"$WORK/pip.log" 2>&1 ||
        { tail -n 30 "$WORK/pip.log" >&2; die "pip download of pyspark==$SPARK_VERSION failed (log above)"; }
    mv -f "$WORK/download/pyspark-$SPARK_VERSION.tar.gz" "$SDIST"
    sdist_ok || die "$SDIST does not have the sha256 pinned in $REQUIREMENTS"
fi

# --- assemble ---------------------------------------------------------------------------------------------
top=pyspark-$SPARK_VERSION
src=$WORK/src
mkdir -p "$src"
# deps/ is the distribution's content as pyspark's setup.py copied it; lib/ holds pyspark.zip and py4j's zip
# (an Apache distribution's python/lib); LICENSE and NOTICE are the binary distribution's.
tar -xzf "$SDIST" -C "$src" --strip-components=1 --no-same-owner \
    "$top/deps" "$top/lib" "$top/LICENSE" "$top/NOTICE" ||
    die "extracting $SDIST failed (not the sdist layout this script expects?)"
for d in jars bin sbin; do
    [ -d "$src/deps/$d" ] || die "the sdist has no deps/$d"
done

dist=$WORK/out/$DIST_NAME
mkdir -p "$dist/examples/jars" "$dist/examples/src/main" "$dist/python"
mv "$src/deps/jars" "$src/deps/bin" "$src/deps/sbin" "$src/deps/licenses" "$src/LICENSE" "$src/NOTICE" "$dist/"
# The Dockerfile copies data/ unconditionally, so it must exist (empty if a future sdist drops it).
if [ -d "$src/deps/data" ]; then mv "$src/deps/data" "$dist/"; else mkdir "$dist/data"; fi
# Spark's Python examples, where a distribution has them (examples/src/main/python/wordcount.py etc.)
[ ! -d "$src/deps/examples" ] || mv "$src/deps/examples" "$dist/examples/src/main/python"
mv "$src/lib" "$dist/python/lib"
rm -rf "$src"

# The jars must be this Spark, Scala 2.13, and include the Kubernetes backend.
for artifact in core kubernetes sql; do
    [ -f "$dist/jars/spark-${artifact}_$SCALA_BINARY_VERSION-$SPARK_VERSION.jar" ] ||
        die "jars/ has no spark-${artifact}_$SCALA_BINARY_VERSION-$SPARK_VERSION.jar"
done
stray=$(find "$dist/jars" -name "spark-*_$SCALA_BINARY_VERSION-*.jar" ! -name "*-$SPARK_VERSION.jar" -printf '%f ')
[ -z "$stray" ] || die "Spark jars of another version in jars/: $stray"
for f in bin/spark-submit bin/spark-class; do
    [ -x "$dist/$f" ] || die "$f missing or not executable"
done

# Stand-ins: kubernetes/dockerfiles/spark/{Dockerfile,entrypoint.sh,decom.sh}
cp -R "$HERE/dist/." "$dist/"
for f in Dockerfile entrypoint.sh decom.sh; do
    [ -f "$dist/kubernetes/dockerfiles/spark/$f" ] || die "dist/kubernetes/dockerfiles/spark/$f missing in $HERE"
done
chmod 0755 "$dist/kubernetes/dockerfiles/spark/entrypoint.sh" "$dist/kubernetes/dockerfiles/spark/decom.sh"

# Stand-in examples jar: Spark's is not on Maven Central; compile ours against the jars just assembled.
mapfile -t SOURCES < <(find "$HERE/examples-standin" -name '*.java' | LC_ALL=C sort)
[ ${#SOURCES[@]} -gt 0 ] || die "no .java files under $HERE/examples-standin"
mkdir -p "$WORK/classes"
javac --release 17 -encoding UTF-8 -cp "$dist/jars/*" -d "$WORK/classes" "${SOURCES[@]}" >"$WORK/javac.log" 2>&1 ||
    { cat "$WORK/javac.log" >&2; die "javac failed (log above)"; }
jar --create --file "$dist/examples/jars/$EXAMPLES_JAR" -C "$WORK/classes" .

# RELEASE: its first line in the form of Apache's, then where this one came from.
revision=$(unzip -p "$dist/jars/spark-common-utils_$SCALA_BINARY_VERSION-$SPARK_VERSION.jar" spark-version-info.properties 2>/dev/null |
    sed -n 's/^revision=//p') || true
hadoop=$(find "$dist/jars" -name 'hadoop-client-api-*.jar' -printf '%f\n' | sed -n 's/^hadoop-client-api-\(.*\)\.jar$/\1/p' | head -n 1)
{
    printf 'Spark %s (git revision %s) built for Hadoop %s\n' "$SPARK_VERSION" "${revision:0:10}" "${hadoop:-unknown}"
    printf 'Assembled from PyPI pyspark-%s.tar.gz (sha256 %s) by tests/images/spark/build-distribution.sh (key %s), not from an Apache release tarball; kubernetes/dockerfiles/spark and examples/jars are test stand-ins.\n' \
        "$SPARK_VERSION" "$SDIST_SHA256" "$KEY"
} >"$dist/RELEASE"

# Readable by all, writable by the owner only, whatever the umask; docker COPY keeps these modes.
chmod -R u+rwX,go+rX,go-w "$dist"

# --- publish ----------------------------------------------------------------------------------------------
rm -rf "${CACHE:?}/$KEY"
mv -T "$WORK/out" "$CACHE/$KEY"
point_current
# Older keys' distributions (about 0.5 GB each) are not needed any more.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' \
    ! -name "$KEY" -exec rm -rf {} +
log "assembled in ${SECONDS}s: $(du -sh "$DIST" | cut -f1), $(find "$DIST/jars" -name '*.jar' | wc -l) jars"
printf '%s\n' "$DIST"
