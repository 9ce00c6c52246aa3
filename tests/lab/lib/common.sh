# shellcheck shell=bash disable=SC2034 # settings read by the other lib files
# Shared settings and helpers for tests/lab/*.sh. Sourced, never run.
#
# Three places matter:
#   LAB_CACHE  machine-level build cache (binaries, image tars); survives `down`, shared by every clone.
#   LAB_STATE  runtime state of the one lab on this machine (pids, pki, node data, logs); global so that a
#              lab started from one checkout can be stopped or recovered from another.
#   LAB_REPO   the checkout running the script; its inventory/lab/ receives the generated inventory.

LAB_CACHE=${LAB_CACHE:-/var/cache/dataplane-alluxio-spark-lab}
LAB_STATE=${LAB_STATE:-/var/lib/dataplane-alluxio-spark-lab}
LAB_REPO=${LAB_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
LAB_DIR=$LAB_REPO/tests/lab
LAB_INVENTORY=${LAB_INVENTORY:-$LAB_REPO/inventory/lab}

# The lab network. Used only inside namespaces the lab creates (plus the host end of one veth).
LAB_NET_PREFIX=10.200.0
LAB_CTL_IP=$LAB_NET_PREFIX.1          # bridge address in lab-ctl: API server, node gateway
LAB_HOST_IP=$LAB_NET_PREFIX.254       # host end of the veth into the lab bridge
LAB_CTL_NS=lab-ctl
LAB_BRIDGE=labbr0
LAB_HOST_IF=lab-host0                 # host side of the veth
LAB_NODES=(lab-n1 lab-n2 lab-n3)
LAB_API_PORT=6443
LAB_ETCD_PORT=2379
LAB_SSH_PORT=22
# Cluster DNS: CoreDNS serves cluster.local on the bridge address in lab-ctl, which every pod reaches
# through its node's default route (no Service IP is needed for DNS itself).
LAB_DNS_IP=$LAB_CTL_IP
LAB_COREDNS_MODULE=github.com/coredns/coredns
LAB_COREDNS_VERSION=v1.10.1   # the newest release that reads a v1.20 API server's EndpointSlices (v1beta1)
LAB_COREDNS_USER=lab-coredns

# Timeouts (seconds); generous for a loaded 2-core CI machine.
LAB_APISERVER_TIMEOUT=${LAB_APISERVER_TIMEOUT:-90}
LAB_NODE_READY_TIMEOUT=${LAB_NODE_READY_TIMEOUT:-180}

# Debian source package that carries the full upstream v1.20.2 tree (vendor/ included).
LAB_KUBE_SRC_PACKAGE=kubernetes
LAB_KUBE_SRC_VERSION=${LAB_KUBE_SRC_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}
LAB_PAUSE_IMAGE=k8s.gcr.io/pause:3.2
LAB_BUSYBOX_IMAGE=lab/busybox:1

# Every daemon the lab starts is placed in cgroup /lab-ctl or /lab-nN of these v1 hierarchies, so that
# processes (and their children) can be found, measured and stopped by cgroup, never by name.
LAB_CGROUP_CONTROLLERS=(memory cpu cpuacct pids)

APT_GET=(apt-get -o DPkg::Lock::Timeout=600 -q -y)

LAB_T0=${LAB_T0:-$(date +%s%N)}

log() { printf '[lab %6.1fs] %s\n' "$(elapsed)" "$*" >&2; }
warn() { printf '[lab] WARNING: %s\n' "$*" >&2; }
die() {
    printf '[lab] ERROR: %s\n' "$*" >&2
    exit 1
}
# Seconds since the script started, one decimal.
elapsed() { awk -v a="$LAB_T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

node_index() { echo "${1#lab-n}"; }
node_ip() { echo "$LAB_NET_PREFIX.1$(node_index "$1")"; }
node_dir() { echo "$LAB_STATE/nodes/$1"; }
node_docker_sock() { echo "$(node_dir "$1")/run/docker.sock"; }   # host-side path of the node's /run/docker.sock
# The container runtime of each node: lab-n3 runs containerd (kubelet on containerd's CRI), the others run
# Docker (kubelet's dockershim), so the lab has both kinds of node that clusters run today.
LAB_CONTAINERD_NODES=(lab-n3)
node_runtime() { # NODE: docker | containerd
    case " ${LAB_CONTAINERD_NODES[*]} " in *" $1 "*) echo containerd ;; *) echo docker ;; esac
}
node_containerd_sock() { echo "$(node_dir "$1")/run/containerd/containerd.sock"; } # host-side path
# ctr in the k8s.io namespace (the one the CRI plugin, hence kubelet, sees) of NODE's containerd.
node_ctr() { /usr/bin/ctr --address "$(node_containerd_sock "$1")" --namespace k8s.io "${@:2}"; } # NODE ARGS...

# ---------------------------------------------------------------- processes, by recorded pid
# A pid file holds "<pid> <start time>": the start time (field 22 of /proc/PID/stat) guards against a pid
# reused by an unrelated process after a crash or reboot.
proc_starttime() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
proc_state() { awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null; }

record_pid() { # NAME PID
    mkdir -p "$LAB_STATE/pids"
    echo "$2 $(proc_starttime "$2")" >"$LAB_STATE/pids/$1.pid"
}

# Prints the pid if the recorded process is still the one we started and still running (zombies count
# as gone: this machine's PID 1 does not reap orphans).
recorded_pid() { # NAME
    local file=$LAB_STATE/pids/$1.pid pid start state
    [ -f "$file" ] || return 1
    read -r pid start <"$file" || return 1
    [ -n "$pid" ] && [ "$(proc_starttime "$pid")" = "$start" ] || return 1
    state=$(proc_state "$pid")
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] || return 1
    echo "$pid"
}

# True if PID runs the command NAME (its /proc comm).
proc_comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; } # PID NAME

indent() { sed 's/^/  /'; } # stdin -> stdout, two spaces in front of each line

pid_alive() { # PID -> true if running and not a zombie
    local state
    state=$(proc_state "$1")
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# TERM, wait up to TIMEOUT seconds, then KILL. Returns 0 once the process is gone.
stop_pid() { # PID [TIMEOUT]
    local pid=$1 timeout=${2:-10} i
    pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------- cgroups
# Running (non-zombie) pids in /GROUP and below, from the pids hierarchy.
cgroup_pids() { # GROUP
    local dir=/sys/fs/cgroup/pids/$1 pid
    [ -d "$dir" ] || return 0
    find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un | while read -r pid; do
        pid_alive "$pid" && echo "$pid"
    done
    return 0
}

# Starts a long-running command detached (own session, stdin from /dev/null, output to a log), inside
# cgroup GROUP, and records its pid under NAME. The command is an argv array, never a string.
start_daemon() { # NAME GROUP LOGFILE -- CMD...
    local name=$1 group=$2 logfile=$3
    shift 4
    # The wrapper joins the cgroup first, then execs the daemon, so the daemon's pid is $!. fd 9 is the
    # lab lock (with_lock): daemons must not keep holding it once lab.sh exits.
    setsid bash "$LAB_REPO/tests/lab/lib/exec-in-cgroup.sh" "$group" "$@" >"$logfile" 2>&1 </dev/null 9<&- &
    # The start time does not change across exec, so the wrapper's pid and start time identify the daemon.
    record_pid "$name" "$!"
}

# Polls CMD every 0.25 s until it succeeds or TIMEOUT seconds pass.
wait_for() { # TIMEOUT CMD...
    local timeout=$1 deadline
    shift
    deadline=$(($(date +%s) + timeout))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.25
    done
}

# kubectl from the build cache (v1.20.2, matches the server), against the admin kubeconfig, from the host
# (the host reaches the API server through its veth into the lab bridge).
kc() { "$LAB_BIN/kubectl" --kubeconfig "$LAB_STATE/pki/admin.kubeconfig" "$@"; }

# Runs a command in the lab-ctl network namespace (host mount namespace).
in_ctl_ns() { nsenter --net="/run/netns/$LAB_CTL_NS" "$@"; }

require_root() {
    [ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces, mounts, cgroups, docker engines). Run: sudo make lab-up"
}

# Takes the machine-wide lab lock so two runs (from two clones) never interleave. The lock is fd 9, which
# start_daemon closes for the daemons: they must not hold it after lab.sh exits.
with_lock() {
    mkdir -p "$LAB_STATE"
    exec 9<"$LAB_STATE"
    if ! flock -w 900 9; then
        die "another tests/lab/lab.sh run holds the lock on $LAB_STATE for 15 minutes; wait for it or stop it"
    fi
}
