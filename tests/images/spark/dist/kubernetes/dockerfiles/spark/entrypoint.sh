#!/usr/bin/env bash
# STAND-IN for the kubernetes/dockerfiles/spark/entrypoint.sh of an Apache Spark 4.x distribution, written for the
# lab (tests/images/spark; Apache's own is not downloadable there). It follows the contract Spark's Kubernetes
# backend relies on (/work/shared/research/lab/SPARK_ON_LAB.md §6):
#   entrypoint.sh driver ARGS...   spark-submit in client mode, bound to $SPARK_DRIVER_BIND_ADDRESS (the pod IP),
#                                  ARGS as the driver pod spec gives them (--properties-file, --class, app, args)
#   entrypoint.sh executor         KubernetesExecutorBackend, configured by the SPARK_* variables the driver puts
#                                  on executor pods
#   entrypoint.sh COMMAND [ARGS]   anything else is exec'd unchanged (image checks: `ls /opt/spark/jars`)
# Driver and executor run under `tini -s` (signals forwarded, children reaped), as spark when started as root.
set -euo pipefail

die() { printf 'entrypoint.sh: ERROR: %s\n' "$*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: entrypoint.sh driver ARGS... | executor | COMMAND [ARGS...]"

# Java (Hadoop's login) and Python look the current uid up in passwd; an arbitrary runAsUser has no entry.
# Fake one with nss_wrapper when the image has it (Spark's image installs libnss-wrapper; the lab base does not,
# and runs as uid 185, which has an entry).
if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
    nss_lib=
    for candidate in /usr/lib/*/libnss_wrapper.so /usr/lib64/libnss_wrapper.so /usr/lib/libnss_wrapper.so; do
        if [ -e "$candidate" ]; then nss_lib=$candidate; break; fi
    done
    if [ -n "$nss_lib" ] && passwd_file=$(mktemp 2>/dev/null); then
        { cat /etc/passwd; printf 'spark:x:%s:%s:spark:%s:/bin/false\n' "$(id -u)" "$(id -g)" "${SPARK_HOME:-/opt/spark}"; } >"$passwd_file"
        export NSS_WRAPPER_PASSWD=$passwd_file NSS_WRAPPER_GROUP=/etc/group
        export LD_PRELOAD=$nss_lib${LD_PRELOAD:+:$LD_PRELOAD}
    else
        printf 'entrypoint.sh: warning: uid %s has no passwd entry and nss_wrapper is unavailable\n' "$(id -u)" >&2
    fi
fi

case $1 in
    driver | executor) ;;
    *) exec "$@" ;;  # pass-through
esac

SPARK_HOME=${SPARK_HOME:-/opt/spark}
export SPARK_HOME
[ -d "$SPARK_HOME/jars" ] || die "no $SPARK_HOME/jars (SPARK_HOME=$SPARK_HOME)"

# The base image normally sets JAVA_HOME; when it does not, ask the java on PATH where it lives.
if [ -z "${JAVA_HOME:-}" ]; then
    command -v java >/dev/null || die "JAVA_HOME is unset and there is no java on PATH"
    JAVA_HOME=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
    [ -n "$JAVA_HOME" ] || die "JAVA_HOME is unset and java did not report java.home"
    export JAVA_HOME
fi

# Classpath: SPARK_CLASSPATH (spark.executor.extraClassPath) and Spark's jars, then SPARK_EXTRA_CLASSPATH; the
# Hadoop and Spark configuration directories in front; the working directory last (SPARK-43540).
classpath="${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}$SPARK_HOME/jars/*"  # the JVM expands jars/*, not bash
classpath=$classpath${SPARK_EXTRA_CLASSPATH:+:$SPARK_EXTRA_CLASSPATH}
if [ -n "${HADOOP_HOME:-}" ] && [ -z "${SPARK_DIST_CLASSPATH:-}" ]; then
    SPARK_DIST_CLASSPATH=$("$HADOOP_HOME/bin/hadoop" classpath) || die "$HADOOP_HOME/bin/hadoop classpath failed"
    export SPARK_DIST_CLASSPATH
fi
classpath=${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}$classpath
classpath=${SPARK_CONF_DIR:-$SPARK_HOME/conf}:$classpath
classpath=$classpath:$PWD

# Python workers inherit these from the JVM's environment.
if [ -n "${PYSPARK_PYTHON:-}" ]; then export PYSPARK_PYTHON; fi
if [ -n "${PYSPARK_DRIVER_PYTHON:-}" ]; then export PYSPARK_DRIVER_PYTHON; fi

require() { # VAR... : the Kubernetes backend sets these on the pod; say which one is missing
    local var
    for var in "$@"; do
        [ -n "${!var:-}" ] || die "$var is not set ($mode mode needs it; Spark sets it on the $mode pod)"
    done
}

mode=$1
shift
case $mode in
    driver)
        require SPARK_DRIVER_BIND_ADDRESS
        cmd=("$SPARK_HOME/bin/spark-submit"
            --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS"
            --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS"
            --deploy-mode client
            "$@")
        ;;
    executor)
        require SPARK_DRIVER_URL SPARK_EXECUTOR_ID SPARK_EXECUTOR_CORES SPARK_APPLICATION_ID \
            SPARK_EXECUTOR_POD_IP SPARK_EXECUTOR_MEMORY SPARK_RESOURCE_PROFILE_ID SPARK_EXECUTOR_POD_NAME
        # SPARK_JAVA_OPT_0, _1, ... carry spark.executor.extraJavaOptions and the startup confs, in that order.
        # Read by name (not from `env` output) so that values are passed exactly as set.
        java_opts=()
        while read -r name; do
            java_opts+=("${!name}")
        done < <(compgen -e | grep -E '^SPARK_JAVA_OPT_[0-9]+$' | sort -t_ -k4,4n)
        cmd=("$JAVA_HOME/bin/java" "${java_opts[@]}"
            "-Xms$SPARK_EXECUTOR_MEMORY" "-Xmx$SPARK_EXECUTOR_MEMORY"
            -cp "$classpath${SPARK_DIST_CLASSPATH:+:$SPARK_DIST_CLASSPATH}"
            org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend
            --driver-url "$SPARK_DRIVER_URL"
            --executor-id "$SPARK_EXECUTOR_ID"
            --cores "$SPARK_EXECUTOR_CORES"
            --app-id "$SPARK_APPLICATION_ID"
            --hostname "$SPARK_EXECUTOR_POD_IP"
            --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID"
            --podName "$SPARK_EXECUTOR_POD_NAME")
        ;;
esac

[ -x /usr/bin/tini ] || die "/usr/bin/tini not found (the base image must provide it)"
# Started as root (runAsUser: 0): drop to spark, as Spark's image does with gosu.
run_as=()
if [ "$(id -u)" -eq 0 ] && getent passwd spark >/dev/null; then
    if command -v gosu >/dev/null; then
        run_as=(gosu spark)
    elif command -v setpriv >/dev/null; then
        run_as=(setpriv --reuid=spark --regid=spark --init-groups)
    fi
fi
# One line in the pod log saying what runs. Not the executor's JVM options: startup confs such as
# spark.ssl.keyPassword travel in SPARK_JAVA_OPT_*.
if [ "$mode" = driver ]; then
    printf 'entrypoint.sh: driver:' >&2
    printf ' %q' "${cmd[@]}" >&2
    printf '\n' >&2
else
    printf 'entrypoint.sh: executor %s of %s (%s JVM options from SPARK_JAVA_OPT_*), driver %s\n' \
        "$SPARK_EXECUTOR_ID" "$SPARK_APPLICATION_ID" "${#java_opts[@]}" "$SPARK_DRIVER_URL" >&2
fi
exec "${run_as[@]}" /usr/bin/tini -s -- "${cmd[@]}"
