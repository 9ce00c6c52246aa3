#!/usr/bin/env bash
# Smoke test of the lab's Alluxio image WITHOUT Docker: runs master, job master, worker and job worker from
# the image's root filesystem (chroot, uid 1000) inside private mount/pid/net/uts namespaces (only `lo`,
# the host network is untouched), configured the way the real chart configures the pods, then exercises
# the CLI and records each command's stdout verbatim (future test fixtures).
#
# Usage: bash tests/images/alluxio/smoke.sh ROOTFS_DIR_OR_IMAGE_TAR OUTPUT_DIR
# Needs root (namespaces, mounts). Exit status 0 only if every step passed.
set -euo pipefail

die() { printf '[smoke] FAIL: %s\n' "$*" >&2; exit 1; }
say() { printf '[smoke] %s\n' "$*" >&2; }

if [ "${1:-}" = __inner ]; then
    INNER=1
    shift
else
    INNER=0
fi

# ------------------------------------------------------------------------------------------------------
# Outer part: prepare a root filesystem and re-run this script inside new namespaces.
# ------------------------------------------------------------------------------------------------------
if [ "$INNER" = 0 ]; then
    [ $# -eq 2 ] || { echo "usage: $0 ROOTFS_DIR_OR_IMAGE_TAR OUTPUT_DIR" >&2; exit 2; }
    [ "$(id -u)" -eq 0 ] || die "run as root (namespaces and mounts)"
    src=$1
    mkdir -p "$2"
    out=$(cd "$2" && pwd)
    tmp=$(mktemp -d /tmp/alluxio-smoke.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
    if [ -f "$src" ]; then
        # docker-archive: unpack the layers in manifest order (our images have no whiteouts)
        say "unpacking image $src"
        mkdir "$tmp/image" "$tmp/rootfs"
        tar -xf "$src" -C "$tmp/image"
        while read -r layer; do
            tar -xpf "$tmp/image/$layer" -C "$tmp/rootfs" --numeric-owner
        done < <(jq -r '.[0].Layers[]' "$tmp/image/manifest.json")
        cp "$tmp/image/$(jq -r '.[0].Config' "$tmp/image/manifest.json")" "$out/image-config.json"
        rm -rf "$tmp/image"
        rootfs=$tmp/rootfs
    elif [ -d "$src" ]; then
        rootfs=$(cd "$src" && pwd)
    else
        die "$src is neither an image tar nor a directory"
    fi
    [ -x "$rootfs/entrypoint.sh" ] || die "$rootfs/entrypoint.sh missing"
    # --fork makes the inner script PID 1 of the new pid namespace: when it exits, every process started
    # in there is killed by the kernel, so nothing can outlive the test.
    status=0
    unshare --mount --pid --fork --net --uts --propagation private \
        bash "$0" __inner "$rootfs" "$out" || status=$?
    if [ "$status" -eq 0 ]; then say "PASS (outputs in $out)"; else say "FAILED (status $status; logs in $out/logs)"; fi
    exit "$status"
fi

# ------------------------------------------------------------------------------------------------------
# Inner part: PID 1 of a private pid namespace, private mount/net/uts namespaces, still root.
# ------------------------------------------------------------------------------------------------------
R=$1
OUT=$2
mkdir -p "$OUT/logs"
rm -f "$OUT"/*.out "$OUT"/*.err "$OUT"/logs/*.log

# Every mount point below is inside the given root: refuse symlinks there, a mount would follow them
# out of the root onto the host's files.
for d in proc dev dev/shm tmp journal opt/alluxio/logs opt/alluxio/underFSStorage etc/hosts etc/resolv.conf; do
    [ ! -L "$R/$d" ] || die "$R/$d is a symlink; not mounting over it"
    [ -e "$R/$d" ] || die "$R/$d missing in the image"
done
ip link set lo up
hostname alluxio-smoke
mount -t proc proc "$R/proc"                     # a fresh procfs: shows this pid namespace only
mount --bind /dev "$R/dev"
mount -t tmpfs -o size=128m,mode=1777 shm "$R/dev/shm"   # the worker's MEM tier, like a Memory emptyDir
mount -t tmpfs -o mode=1777 tmp "$R/tmp"
# Writable state on tmpfs (as a pod's container layer or emptyDir): the rootfs given stays clean.
mount -t tmpfs -o mode=0775,uid=1000,gid=1000 journal "$R/journal"
mount -t tmpfs -o mode=0775,uid=1000,gid=1000 logs "$R/opt/alluxio/logs"
mount -t tmpfs -o mode=0775,uid=1000,gid=1000 ufs "$R/opt/alluxio/underFSStorage"
printf '127.0.0.1\tlocalhost alluxio-smoke\n' >/tmp/smoke-hosts
mount --bind /tmp/smoke-hosts "$R/etc/hosts"      # what a container runtime bind-mounts there
: >/tmp/smoke-resolv
mount --bind /tmp/smoke-resolv "$R/etc/resolv.conf"

# The ConfigMap the real chart renders (templates/config/alluxio-conf.yaml) for one master, UFS journal in
# /journal, the lab's properties, short-circuit off, one MEM tier at /dev/shm; heaps sized for the test.
# The ${ALLUXIO_*} placeholders are literal, exactly as Kubernetes hands them over via envFrom.
# alluxio.master.worker.timeout=20s is only for this test (default 5 min) to see a LOST worker quickly.
# shellcheck disable=SC2016 # the placeholders must stay unexpanded here
CONFIGMAP=(
    'ALLUXIO_JAVA_OPTS=-Dalluxio.master.hostname=localhost -Dalluxio.master.journal.type=UFS -Dalluxio.master.journal.folder=/journal -Dalluxio.master.metastore=HEAP -Dalluxio.master.worker.timeout=20s -Dalluxio.user.file.writetype.default=MUST_CACHE -Dalluxio.user.short.circuit.enabled=false -Dalluxio.web.ui.enabled=false -XX:+UseContainerSupport -XX:+UseSerialGC -XX:ActiveProcessorCount=1 '
    'ALLUXIO_MASTER_JAVA_OPTS=-Dalluxio.master.hostname=${ALLUXIO_MASTER_HOSTNAME} -Xmx256m '
    'ALLUXIO_JOB_MASTER_JAVA_OPTS=-Dalluxio.master.hostname=${ALLUXIO_MASTER_HOSTNAME} -Xmx128m '
    'ALLUXIO_WORKER_JAVA_OPTS=-Dalluxio.worker.hostname=${ALLUXIO_WORKER_HOSTNAME} -Dalluxio.worker.rpc.port=29999 -Dalluxio.worker.web.port=30000 -Dalluxio.user.short.circuit.enabled=false -Dalluxio.worker.container.hostname=${ALLUXIO_WORKER_CONTAINER_HOSTNAME} -Dalluxio.worker.ramdisk.size=64MB -Dalluxio.worker.tieredstore.levels=1 -Dalluxio.worker.tieredstore.level0.alias=MEM -Dalluxio.worker.tieredstore.level0.dirs.mediumtype=MEM -Dalluxio.worker.tieredstore.level0.dirs.path=/dev/shm -Dalluxio.worker.tieredstore.level0.dirs.quota=64MB -Xmx256m -XX:MaxDirectMemorySize=256m '
    'ALLUXIO_PROXY_JAVA_OPTS='
    'ALLUXIO_JOB_WORKER_JAVA_OPTS=-Dalluxio.worker.hostname=${ALLUXIO_WORKER_HOSTNAME} -Dalluxio.job.worker.rpc.port=30001 -Dalluxio.job.worker.data.port=30002 -Dalluxio.job.worker.web.port=30003 -Xmx128m '
    'ALLUXIO_FUSE_JAVA_OPTS=-Dalluxio.user.hostname=${ALLUXIO_CLIENT_HOSTNAME} -Dalluxio.fuse.mount.alluxio.path=/ -Dalluxio.fuse.mount.point=/mnt/alluxio-fuse '
    'ALLUXIO_WORKER_TIEREDSTORE_LEVEL0_DIRS_PATH=/dev/shm'
)
# downward-API env of each container (status.podIP / status.hostIP); passed by name to in_image (nameref)
# shellcheck disable=SC2034
MASTER_ENV=(ALLUXIO_MASTER_HOSTNAME=127.0.0.1)
# shellcheck disable=SC2034
WORKER_ENV=(ALLUXIO_WORKER_HOSTNAME=127.0.0.1 ALLUXIO_WORKER_CONTAINER_HOSTNAME=127.0.0.1)
IMAGE_ENV=(PATH=/opt/alluxio/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 ALLUXIO_HOME=/opt/alluxio HOME=/opt/alluxio)

# Run a command in the image as uid/gid 1000 (the chart's runAsUser/runAsGroup), in /opt/alluxio.
# chroot, env and bash all exec, so the command keeps the PID of whoever execs chroot.
in_image() { # ENV_ARRAY_NAME -- CMD...
    local -n extra=$1
    shift 2
    chroot --userspec=1000:1000 "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" "${CONFIGMAP[@]}" "${extra[@]}" \
        /bin/bash -c 'cd /opt/alluxio && exec "$@"' bash "$@"
}
# Same, replacing the calling (sub)shell: `in_image_exec ... &` makes $! the command's own PID, so that a
# signal sent to $! reaches tini, as a container runtime's would.
in_image_exec() { # ENV_ARRAY_NAME -- CMD...
    local -n extra_=$1
    shift 2
    exec chroot --userspec=1000:1000 "$R" /usr/bin/env -i "${IMAGE_ENV[@]}" "${CONFIGMAP[@]}" "${extra_[@]}" \
        /bin/bash -c 'cd /opt/alluxio && exec "$@"' bash "$@"
}

declare -A PID_OF=()
start_container() { # NAME ENV_ARRAY_NAME ARGS...  (command: tini -- /entrypoint.sh ARGS, as in the chart)
    local name=$1 envname=$2
    shift 2
    # tini -s: it is not PID 1 here, so ask to be a subreaper instead
    in_image_exec "$envname" -- tini -s -- /entrypoint.sh "$@" >"$OUT/logs/$name.log" 2>&1 &
    PID_OF[$name]=$!
    local i   # chroot -> env -> bash -> tini is a chain of execs: wait (briefly) until it reached tini
    for i in $(seq 50); do
        tr '\0' ' ' <"$R/proc/${PID_OF[$name]}/cmdline" 2>/dev/null | grep -q '^tini ' && break
        [ "$i" -lt 50 ] || die "$name: PID ${PID_OF[$name]} never became tini"
        sleep 0.1
    done
    say "started $name: /entrypoint.sh $*"
}

# The JVM of a container, found by its main class in this pid namespace's /proc.
jvm_pid() { # MAIN_CLASS
    local p
    for p in "$R"/proc/[0-9]*; do
        if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q " $1\( \|$\)"; then
            echo "${p##*/}"
            return 0
        fi
    done
    return 1
}

STEP=0
# Run an `alluxio ...` CLI command like `kubectl exec alluxio-master-0 -c alluxio-master -- alluxio ...`:
# stdout verbatim to NAME.out, stderr to NAME.err; fail the test on a non-zero exit.
cli() { # NAME ARGS...
    local name=$1 rc=0
    shift
    STEP=$((STEP + 1))
    in_image MASTER_ENV -- alluxio "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
    printf '%s\t%s\t%s\n' "$name" "$rc" "alluxio $*" >>"$OUT/commands.tsv"
    [ "$rc" -eq 0 ] || { cat "$OUT/$name.err" >&2; die "alluxio $* exited $rc"; }
}

# Poll until `fsadmin report capacity -live` lists the worker (deadline; 1 s between polls, no fixed
# sleeps), failing early if a container dies meanwhile.
# Wait until `report capacity -RANGE` (live or lost) lists the worker 127.0.0.1; fail after SECONDS. While
# waiting for a live worker, every started container must stay up.
wait_worker_in() { # RANGE SECONDS
    local range=$1 seconds=$2 deadline name
    deadline=$(( $(date +%s) + seconds ))
    while :; do
        if [ "$range" = live ]; then
            for name in "${!PID_OF[@]}"; do
                kill -0 "${PID_OF[$name]}" 2>/dev/null || { tail -n 40 "$OUT/logs/$name.log" >&2; die "$name exited during start"; }
            done
        fi
        if in_image MASTER_ENV -- alluxio fsadmin report capacity "-$range" >"$OUT/poll.out" 2>"$OUT/poll.err" &&
            grep -q '^127\.0\.0\.1 ' "$OUT/poll.out"; then
            break
        fi
        [ "$(date +%s)" -lt "$deadline" ] || { cat "$OUT/poll.out" "$OUT/poll.err" >&2; die "worker not reported $range after $seconds s"; }
        sleep 1
    done
    rm -f "$OUT/poll.out" "$OUT/poll.err"
}

# Wait until process PID (a container's tini) has exited; fail after SECONDS.
wait_gone() { # PID SECONDS WHAT
    local i st
    for i in $(seq $(($2 * 2))); do
        st=$(awk '/^State:/ {print $2}' "$R/proc/$1/status" 2>/dev/null || true)
        if [ -z "$st" ] || [ "$st" = Z ]; then return 0; fi
        sleep 0.5
    done
    die "$3 still running after $2 s (i=$i)"
}

stop_all() {
    local name
    for name in "${!PID_OF[@]}"; do kill -TERM "${PID_OF[$name]}" 2>/dev/null || true; done
}
trap stop_all EXIT

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

: >"$OUT/commands.tsv"
T0=$(now)

# --- launcher checks that need no running cluster ------------------------------------------------------
rc=0
in_image MASTER_ENV -- /entrypoint.sh bogus-mode >"$OUT/entrypoint-usage.out" 2>"$OUT/entrypoint-usage.err" || rc=$?
if [ "$rc" -ne 2 ] || [ -s "$OUT/entrypoint-usage.out" ]; then
    die "entrypoint with a bad mode: exit $rc (want 2, usage on stderr only)"
fi
# shellcheck disable=SC2034 # used through a nameref
NO_WORKER_ENV=()
rc=0
in_image NO_WORKER_ENV -- /entrypoint.sh worker-only --no-format >"$OUT/unset-placeholder.out" 2>"$OUT/unset-placeholder.err" || rc=$?
if [ "$rc" -eq 0 ] || ! grep -q 'ALLUXIO_WORKER_HOSTNAME is not set' "$OUT/unset-placeholder.err"; then
    die "worker without ALLUXIO_WORKER_HOSTNAME should fail clearly (exit $rc)"
fi
cli version version
cli getconf-master-hostname getConf alluxio.master.hostname
[ "$(cat "$OUT/getconf-master-hostname.out")" = localhost ] ||
    die "getConf alluxio.master.hostname: '$(cat "$OUT/getconf-master-hostname.out")' (ALLUXIO_JAVA_OPTS comes last and says localhost)"
cli getconf-worker-hostname-D getConf -Dalluxio.worker.hostname=from-cli alluxio.worker.hostname
[ "$(cat "$OUT/getconf-worker-hostname-D.out")" = from-cli ] || die "-D argument not passed to the JVM"

# --- the four containers, as the chart starts them -------------------------------------------------------
T_START=$(now)
start_container master MASTER_ENV master-only          # chart default is --no-format: format here instead
start_container job-master MASTER_ENV job-master
start_container worker WORKER_ENV worker-only           # formats its tier first
start_container job-worker WORKER_ENV job-worker

wait_worker_in live 240
WORKER_LIVE_S=$(since "$T_START")
say "worker live after ${WORKER_LIVE_S} s"

# --- memory of the four JVMs right after start -----------------------------------------------------------
{
    printf 'process\tpid\tVmRSS_kB\tVmHWM_kB\n'
    for cls in alluxio.master.AlluxioMaster alluxio.master.AlluxioJobMaster alluxio.worker.AlluxioWorker alluxio.worker.AlluxioJobWorker; do
        p=$(jvm_pid "$cls") || die "no JVM running $cls"
        printf '%s\t%s\t%s\t%s\n' "$cls" "$p" \
            "$(awk '/^VmRSS:/ {print $2}' "$R/proc/$p/status")" "$(awk '/^VmHWM:/ {print $2}' "$R/proc/$p/status")"
    done
} >"$OUT/rss-after-start.tsv"
# the exact JVM command lines the launcher built (one argument per line)
for cls in alluxio.master.AlluxioMaster alluxio.master.AlluxioJobMaster alluxio.worker.AlluxioWorker alluxio.worker.AlluxioJobWorker; do
    printf '### %s\n' "$cls"
    tr '\0' '\n' <"$R/proc/$(jvm_pid "$cls")/cmdline"
done >"$OUT/jvm-cmdlines.txt"
# the cost of one CLI call (a JVM start; our Ansible makes several)
T_CLI=$(now)
cli fsadmin-report-capacity-timed fsadmin report capacity
jq -n --argjson s "$(since "$T_CLI")" '{seconds_one_cli_call: $s}' >"$OUT/cli-timing.json"
rm -f "$OUT"/fsadmin-report-capacity-timed.*
# is the JVM the container command's process (tini's child), not a child of a shell?
for name in master worker; do
    cls=alluxio.master.AlluxioMaster
    [ "$name" = worker ] && cls=alluxio.worker.AlluxioWorker
    p=$(jvm_pid "$cls")
    parent=$(awk '/^PPid:/ {print $2}' "$R/proc/$p/status")
    tr '\0' ' ' <"$R/proc/$parent/cmdline" | grep -q '^tini ' || die "$name JVM's parent is not tini"
done

# --- the CLI calls our Ansible and tests make ------------------------------------------------------------
cli fsadmin-report-capacity fsadmin report capacity
cli fs-copyFromLocal fs copyFromLocal /opt/alluxio/LICENSE /license
cli fs-stat fs stat /license
cli fs-ls fs ls /
in_image MASTER_ENV -- alluxio fs cat /license 2>"$OUT/fs-cat.err" | wc -c >"$OUT/fs-cat-wc-c.out" ||
    die "alluxio fs cat /license | wc -c failed"
want=$(stat -c %s "$R/opt/alluxio/LICENSE")
[ "$(tr -d ' ' <"$OUT/fs-cat-wc-c.out")" = "$want" ] ||
    die "fs cat returned $(cat "$OUT/fs-cat-wc-c.out") bytes, LICENSE has $want (log lines on stdout?)"
cli fsadmin-report-summary fsadmin report summary
cli fsadmin-report-metrics fsadmin report metrics
cli fsadmin-report-capacity-after-write fsadmin report capacity

# --- a lost worker -----------------------------------------------------------------------------------------
wp=$(jvm_pid alluxio.worker.AlluxioWorker)
T_KILL=$(now)
kill -KILL "$wp"
say "killed the worker JVM (pid $wp); waiting for the master to call it lost"
wait_worker_in lost 120
LOST_S=$(since "$T_KILL")
say "worker reported lost after ${LOST_S} s"
cli fsadmin-report-capacity-lost-worker fsadmin report capacity
cli fsadmin-report-capacity-lost-only fsadmin report capacity -lost
cli fsadmin-report-summary-lost-worker fsadmin report summary
# the worker container's own fate: tini saw its child die and exited
wait_gone "${PID_OF[worker]}" 10 "the worker container (tini) after its JVM died"
unset 'PID_OF[worker]'

stop_all
for name in "${!PID_OF[@]}"; do
    wait_gone "${PID_OF[$name]}" 30 "$name after SIGTERM"
    unset "PID_OF[$name]"
done
for cls in alluxio.master.AlluxioMaster alluxio.master.AlluxioJobMaster alluxio.worker.AlluxioJobWorker; do
    jvm_pid "$cls" >/dev/null && die "$cls survived SIGTERM to its container"
done

# --- the two-process modes, and the chart's journal-format init container ---------------------------------
cli formatJournal formatJournal                        # init container: command ["alluxio","formatJournal"]
T_PAIR=$(now)
start_container master-pair MASTER_ENV master --no-format
start_container worker-pair WORKER_ENV worker
wait_worker_in live 240
PAIR_LIVE_S=$(since "$T_PAIR")
say "two-process containers: worker live after ${PAIR_LIVE_S} s"
for cls in alluxio.master.AlluxioMaster alluxio.master.AlluxioJobMaster alluxio.worker.AlluxioWorker alluxio.worker.AlluxioJobWorker; do
    jvm_pid "$cls" >/dev/null || die "two-process mode: no JVM running $cls"
done
cli fsadmin-report-capacity-pair fsadmin report capacity
# the worker JVM dies -> the worker container must stop its job worker and exit
kill -KILL "$(jvm_pid alluxio.worker.AlluxioWorker)"
wait_gone "${PID_OF[worker-pair]}" 30 "worker container (mode worker) after its worker JVM died"
jvm_pid alluxio.worker.AlluxioJobWorker >/dev/null && die "job worker survived its container"
# SIGTERM to the master container is forwarded to both JVMs
kill -TERM "${PID_OF[master-pair]}"
wait_gone "${PID_OF[master-pair]}" 60 "master container (mode master) after SIGTERM"
for cls in alluxio.master.AlluxioMaster alluxio.master.AlluxioJobMaster; do
    jvm_pid "$cls" >/dev/null && die "$cls survived SIGTERM to its container"
done
PID_OF=()

jq -n --argjson worker_live "$WORKER_LIVE_S" --argjson lost "$LOST_S" --argjson pair "$PAIR_LIVE_S" \
    --argjson total "$(since "$T0")" \
    '{seconds_start_to_worker_live: $worker_live, seconds_kill_to_lost: $lost,
      seconds_pair_modes_start_to_worker_live: $pair, seconds_total: $total}' >"$OUT/timings.json"
say "all steps passed"
