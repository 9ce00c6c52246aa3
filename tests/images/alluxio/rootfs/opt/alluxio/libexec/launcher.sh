# shellcheck shell=bash
# Shared by /entrypoint.sh and /opt/alluxio/bin/alluxio (the lab image's own launcher for Alluxio 2.9.6).
# It builds the java command line the way the real chart expects the image to, from the environment the
# chart's ConfigMap provides. Callers set `set -euo pipefail` before sourcing this file.

ALLUXIO_HOME=${ALLUXIO_HOME:-/opt/alluxio}
ALLUXIO_CONF_DIR=${ALLUXIO_CONF_DIR:-$ALLUXIO_HOME/conf}
ALLUXIO_LOGS_DIR=${ALLUXIO_LOGS_DIR:-$ALLUXIO_HOME/logs}
ALLUXIO_USER_LOGS_DIR=${ALLUXIO_USER_LOGS_DIR:-$ALLUXIO_LOGS_DIR/user}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA=${JAVA:-$JAVA_HOME/bin/java}
else
    JAVA=${JAVA:-java}
fi

lab_die() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# Replace ${ALLUXIO_NAME} placeholders in $1 with the value of that environment variable and print the
# result. Only that exact form is touched; the value is never evaluated by the shell (no eval, no source),
# so quotes, $(...), backticks and other ${...} in it stay literal. Replacement text is not rescanned.
# The chart's ConfigMap carries such placeholders (e.g. -Dalluxio.worker.hostname=${ALLUXIO_WORKER_HOSTNAME})
# and relies on the image to fill them from the downward-API env vars.
lab_expand() {
    local rest=$1 out='' name
    # Walk left to right, one '$' at a time.
    while :; do
        if [[ $rest =~ ^([^$]*)\$\{(ALLUXIO_[A-Za-z0-9_]+)\} ]]; then
            name=${BASH_REMATCH[2]}
            out+=${BASH_REMATCH[1]}
            rest=${rest:${#BASH_REMATCH[0]}}
            [[ -v $name ]] || lab_die "placeholder \${$name} is used in a *_JAVA_OPTS value but $name is not set"
            out+=${!name}
        elif [[ $rest =~ ^([^$]*\$)(.*)$ ]]; then
            # a '$' that does not start a placeholder: keep it and go on after it
            out+=${BASH_REMATCH[1]}
            rest=${BASH_REMATCH[2]}
        else
            out+=$rest
            break
        fi
    done
    printf '%s' "$out"
}

# Append the JVM arguments held in environment variable $1 (after placeholder expansion) to the array
# LAB_OPTS. Splitting is on whitespace only, without quote processing or globbing: the same words the
# official scripts get from an unquoted ${ALLUXIO_JAVA_OPTS}.
lab_add_env_opts() {
    local var=$1 value words=()
    [ -n "${!var:-}" ] || return 0
    value=$(lab_expand "${!var}") || exit 1
    read -r -d '' -a words <<<"$value" || true
    LAB_OPTS+=("${words[@]}")
}

# The JDK's major version, from the runtime's `release` file (no JVM start needed).
lab_java_major() {
    local bin home line
    bin=$(command -v "$JAVA") || lab_die "java not found ($JAVA)"
    home=$(dirname "$(dirname "$(readlink -f "$bin")")")
    line=$(grep -s '^JAVA_VERSION=' "$home/release" || true)
    line=${line#JAVA_VERSION=\"}
    line=${line%%[.\"]*}
    [ "$line" = 1 ] && line=8
    printf '%s' "${line:-17}"
}

# Options for Java 9+: Alluxio 2.9 and its libraries (Netty, gRPC, Hadoop, reflections) reach into JDK
# internals. The list is Spark's JavaModuleOptions plus the two Alluxio's own java11 test profile opens.
lab_java_module_opts() {
    local major
    major=$(lab_java_major)
    [ "$major" -ge 9 ] || return 0
    LAB_OPTS+=(
        -XX:+IgnoreUnrecognizedVMOptions
        --add-opens=java.base/java.lang=ALL-UNNAMED
        --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
        --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/java.net=ALL-UNNAMED
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.util=ALL-UNNAMED
        --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
        --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
        --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
        --add-opens=java.base/jdk.internal.loader=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
        --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
        --add-opens=java.base/sun.security.action=ALL-UNNAMED
        --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
        --add-opens=java.xml/jdk.xml.internal=ALL-UNNAMED
        -Dio.netty.tryReflectionSetAccessible=true
    )
}

# Options every Alluxio JVM gets, in order: module opens, paths and fixed switches, the ones derived from
# plain env vars, then the expanded ALLUXIO_JAVA_OPTS. Callers append their own selectors and the
# per-process variable afterwards, so for a repeated -D key the per-process value wins (last one wins).
lab_common_opts() {
    LAB_OPTS=()
    lab_java_module_opts
    LAB_OPTS+=(
        "-Dalluxio.home=$ALLUXIO_HOME"
        "-Dalluxio.conf.dir=$ALLUXIO_CONF_DIR"
        "-Dalluxio.logs.dir=$ALLUXIO_LOGS_DIR"
        "-Dalluxio.user.logs.dir=$ALLUXIO_USER_LOGS_DIR"
        "-Dlog4j.configuration=file:$ALLUXIO_CONF_DIR/log4j.properties"
        -Dorg.apache.jasper.compiler.disablejsr199=true
        -Djava.net.preferIPv4Stack=true
        -Dorg.apache.ratis.thirdparty.io.netty.allocator.useCacheForAllThreads=false
    )
    if [ -n "${ALLUXIO_RAM_FOLDER:-}" ]; then
        LAB_OPTS+=(-Dalluxio.worker.tieredstore.level0.alias=MEM
            "-Dalluxio.worker.tieredstore.level0.dirs.path=$ALLUXIO_RAM_FOLDER")
    fi
    [ -z "${ALLUXIO_MASTER_HOSTNAME:-}" ] || LAB_OPTS+=("-Dalluxio.master.hostname=$ALLUXIO_MASTER_HOSTNAME")
    local root_ufs=${ALLUXIO_MASTER_MOUNT_TABLE_ROOT_UFS:-${ALLUXIO_UNDERFS_ADDRESS:-}}
    [ -z "$root_ufs" ] || LAB_OPTS+=("-Dalluxio.master.mount.table.root.ufs=$root_ufs")
    local ramdisk=${ALLUXIO_WORKER_RAMDISK_SIZE:-${ALLUXIO_WORKER_MEMORY_SIZE:-}}
    [ -z "$ramdisk" ] || LAB_OPTS+=("-Dalluxio.worker.ramdisk.size=$ramdisk")
    [ -z "${ALLUXIO_LOGSERVER_HOSTNAME:-}" ] || LAB_OPTS+=("-Dalluxio.logserver.hostname=$ALLUXIO_LOGSERVER_HOSTNAME")
    [ -z "${ALLUXIO_LOGSERVER_PORT:-}" ] || LAB_OPTS+=("-Dalluxio.logserver.port=$ALLUXIO_LOGSERVER_PORT")
    lab_add_env_opts ALLUXIO_JAVA_OPTS
}

# True if any word in LAB_OPTS starts with $1.
lab_has_opt() {
    local o
    for o in "${LAB_OPTS[@]}"; do
        case $o in "$1"*) return 0 ;; esac
    done
    return 1
}

# Heap flags for a server, only where the chart/user gave none. Sized for the lab (RUNNING_REAL.md §6),
# not Alluxio's 8g/4g: a pod with a 1-2 GiB memory limit would be OOM-killed long before those.
lab_default_heap() { # XMX [MAX_DIRECT]
    lab_has_opt -Xmx || LAB_OPTS+=("-Xmx$1")
    lab_has_opt -XX:MaxRAMPercentage= && return 0
    if [ -n "${2:-}" ] && ! lab_has_opt -XX:MaxDirectMemorySize=; then
        LAB_OPTS+=("-XX:MaxDirectMemorySize=$2")
    fi
}

lab_classpath() {
    local cp=$ALLUXIO_CONF_DIR
    [ -z "${ALLUXIO_CLASSPATH:-}" ] || cp+=":$ALLUXIO_CLASSPATH"
    printf '%s' "$cp:$ALLUXIO_HOME/lib/*"
}

# Fill LAB_OPTS for server process $1 (master, job_master, worker, job_worker, format).
lab_server_opts() {
    lab_common_opts
    case $1 in
    master)
        LAB_OPTS+=(-Dalluxio.logger.type=Console -Dalluxio.master.audit.logger.type=Console)
        lab_add_env_opts ALLUXIO_MASTER_JAVA_OPTS
        lab_default_heap 768m ;;
    job_master)
        LAB_OPTS+=(-Dalluxio.logger.type=Console -Dalluxio.job.master.audit.logger.type=Console)
        lab_add_env_opts ALLUXIO_JOB_MASTER_JAVA_OPTS
        lab_default_heap 256m ;;
    worker)
        LAB_OPTS+=(-Dalluxio.logger.type=Console)
        lab_add_env_opts ALLUXIO_WORKER_JAVA_OPTS
        lab_default_heap 512m 512m ;;
    job_worker)
        LAB_OPTS+=(-Dalluxio.logger.type=Console)
        lab_add_env_opts ALLUXIO_JOB_WORKER_JAVA_OPTS
        lab_default_heap 256m ;;
    format_master)
        LAB_OPTS+=(-Dalluxio.logger.type=Console)
        lab_add_env_opts ALLUXIO_MASTER_JAVA_OPTS ;;
    format_worker)
        LAB_OPTS+=(-Dalluxio.logger.type=Console)
        lab_add_env_opts ALLUXIO_WORKER_JAVA_OPTS ;;
    *) lab_die "internal: unknown process $1" ;;
    esac
}

lab_main_class() {
    case $1 in
    master) echo alluxio.master.AlluxioMaster ;;
    job_master) echo alluxio.master.AlluxioJobMaster ;;
    worker) echo alluxio.worker.AlluxioWorker ;;
    job_worker) echo alluxio.worker.AlluxioJobWorker ;;
    *) lab_die "internal: no main class for $1" ;;
    esac
}
