#!/usr/bin/env bash
# The offline multi-node Kubernetes lab of the collection's integration tests. See tests/lab/README.md.
#
#   lab.sh up       install Debian packages, build (or reuse) Kubernetes v1.20.2, start etcd + control plane
#                   + nodes lab-n1..3, write inventory/lab/; recovers from a crashed run; quick if already up
#   lab.sh down     stop and remove everything the lab made; verifies the machine is as found
#   lab.sh status   processes, nodes, memory, leftovers (exit 0 up, 3 down, 1 degraded/leftovers)
#   lab.sh build    only the cached build (e.g. to warm a CI machine)
#   lab.sh load TAR...  load docker-archive image tars into every node's runtime (skips nodes that have them)
#   lab.sh load-build TAR...  the same into the build engine (the controller's Docker)
#   lab.sh sshd NODE stop|start   take a node's sshd down (its open sessions too) or bring it back, as a node
#                   that stops answering SSH in the middle of a run (tests of the roles' failure paths)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for part in common deps build dns pki net control-plane nodes build-engine registry images inventory teardown status; do
    # shellcheck source=/dev/null
    source "$here/lib/$part.sh"
done

# The binaries of the running lab (recorded by up), so status/health work from any checkout.
use_recorded_bin() {
    local dir
    dir=$(cat "$LAB_STATE/build-dir" 2>/dev/null) || return 0
    # shellcheck disable=SC2034 # read by the lib functions
    if [ -x "$dir/bin/kubectl" ]; then
        LAB_BUILD_DIR=$dir
        LAB_BIN=$dir/bin
        LAB_IMAGES=$dir/images
    fi
}

cmd_build() {
    require_root
    mkdir -p "$LAB_CACHE"
    ensure_packages
    ensure_build
    ensure_coredns
    log "binaries in $LAB_BIN, CoreDNS $LAB_COREDNS_BIN"
}

cmd_up() {
    require_root
    with_lock
    use_recorded_bin
    if lab_healthy 2>/dev/null; then
        # Another checkout may have started it: give this one its inventory too (rewritten, so that it
        # has what this checkout's inventory.sh writes).
        write_inventory
        log "lab already up and healthy ($(kc get nodes --no-headers 2>/dev/null | wc -l) nodes Ready); inventory: $LAB_INVENTORY"
        return 0
    fi
    local t_recovery=$SECONDS
    if [ -n "$(lab_leftovers)" ]; then
        log "an earlier lab is partly up or was interrupted: tearing it down first"
        teardown || die "could not clean up the earlier lab (see above); fix that, then run make lab-up again"
    fi
    t_recovery=$((SECONDS - t_recovery))
    check_host
    mkdir -p "$LAB_CACHE" "$LAB_STATE"
    ensure_packages
    ensure_build
    ensure_coredns
    LAB_BUILD_SECONDS=$((LAB_BUILD_SECONDS + ${LAB_COREDNS_BUILD_SECONDS:-0}))
    echo "$LAB_BUILD_DIR" >"$LAB_STATE/build-dir"

    local t_start=$SECONDS
    rm -rf "$LAB_STATE/logs"
    mkdir -p "$LAB_STATE/logs" "$LAB_STATE/pids"
    make_pki
    make_ssh_keys
    net_up
    log "network namespaces ready"
    control_plane_up
    local api_ready=$((SECONDS - t_start))
    coredns_up
    nodes_up
    build_engine_up
    registry_up
    wait_nodes_ready
    wait_default_service_account
    local ready=$((SECONDS - t_start))
    log "all ${#LAB_NODES[@]} nodes Ready (${ready}s after start-up began)"
    write_inventory
    local run
    run=$(write_figures "$LAB_BUILD_SECONDS" "$t_recovery" "$api_ready" "$ready" "$(elapsed)")
    print_figures_summary "$run" | while read -r line; do log "$line"; done
    kc get nodes -o wide
    log "lab up. kubectl --kubeconfig $LAB_INVENTORY/kubeconfig get nodes; ansible -i $LAB_INVENTORY all -m ping"
}

cmd_down() {
    require_root
    with_lock
    [ -n "$(lab_leftovers)" ] || return 0   # nothing up: quietly done
    teardown
}

# A node's sshd down, with every session it serves (an open Ansible ControlPersist connection would otherwise
# keep working), or back up as lab up starts it.
cmd_sshd() { # NODE stop|start
    require_root
    local node=${1:-} action=${2:-} pid
    [[ " ${LAB_NODES[*]} " == *" $node "* ]] || die "usage: lab.sh sshd NODE stop|start (NODE one of ${LAB_NODES[*]})"
    case $action in
        stop)
            stop_recorded "$node-sshd" >/dev/null
            for pid in $(cgroup_pids "$node"); do
                if proc_comm_is "$pid" sshd; then kill -KILL "$pid" 2>/dev/null || true; fi
            done
            log "$node: sshd stopped, sessions closed"
            ;;
        start)
            recorded_pid "$node-sshd" >/dev/null && { log "$node: sshd already running"; return 0; }
            start_node_daemon "$node" sshd -- /usr/sbin/sshd -D -e -f "$(node_dir "$node")/sshd_config"
            wait_for 20 port_in_use "$node" "$LAB_SSH_PORT" || die "$node: sshd did not listen in 20s"
            log "$node: sshd started"
            ;;
        *) die "usage: lab.sh sshd NODE stop|start" ;;
    esac
}

case ${1:-} in
    up) cmd_up ;;
    down) cmd_down ;;
    status)
        use_recorded_bin
        cmd_status
        ;;
    build) cmd_build ;;
    load-build)
        shift
        use_recorded_bin
        cmd_load_build "$@"
        ;;
    load)
        shift
        use_recorded_bin
        cmd_load "$@"
        ;;
    sshd)
        shift
        cmd_sshd "$@"
        ;;
    *)
        echo "usage: $0 up|down|status|build|load TAR...|load-build TAR...|sshd NODE stop|start" >&2
        exit 2
        ;;
esac
