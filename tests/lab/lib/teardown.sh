# shellcheck shell=bash
# `down`: stop what the lab started and remove what it made, by record only (pid files, cgroups /lab-*,
# namespaces lab-*, the host veth, paths it noted), then verify nothing is left.

LAB_CGROUPS=(lab-ctl "${LAB_NODES[@]}")

# Everything the lab leaves on the machine while (partly) up, one line each. Empty = machine as found.
lab_leftovers() {
    local f name pid group dir recorded=" "
    for f in "$LAB_STATE"/pids/*.pid; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .pid)
        if pid=$(recorded_pid "$name"); then
            echo "process $name (pid $pid)"
            recorded+="$pid "
        fi
    done
    for group in "${LAB_CGROUPS[@]}"; do
        for pid in $(cgroup_pids "$group"); do
            case $recorded in *" $pid "*) continue ;; esac
            echo "process in cgroup /$group: pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null))"
        done
    done
    lab_netns | sed 's/^/network namespace /'
    ip link show "$LAB_HOST_IF" >/dev/null 2>&1 && echo "host interface $LAB_HOST_IF"
    grep -E " ($LAB_STATE/|/run/netns/($LAB_CTL_NS|lab-n[0-9]+) )" /proc/self/mountinfo | awk '{ print "mount " $5 }'
    for group in "${LAB_CGROUPS[@]}"; do
        for dir in /sys/fs/cgroup/*/"$group"; do [ -d "$dir" ] && echo "cgroup $dir"; done
    done
    for f in "$LAB_STATE"/ssh/cp/*; do [ -S "$f" ] && echo "ssh control socket $f"; done
    [ -f "$LAB_STATE/inventory-paths" ] && sed 's/^/inventory /' "$LAB_STATE/inventory-paths"
    [ -f "$LAB_STATE/created-host-dirs" ] && sed 's/^/host directory /' "$LAB_STATE/created-host-dirs"
    registry_leftovers
    return 0
}

# Removes every container of the Docker engine at SOCK (a node's, or the build engine); prints how many.
remove_engine_containers() { # SOCK WHAT
    local sock=$1 ids
    [ -S "$sock" ] || return 0
    ids=$(timeout 30 "$DOCKER" -H "unix://$sock" ps -aq 2>/dev/null || true)
    [ -n "$ids" ] || return 0
    # shellcheck disable=SC2086 # one argument per container id
    timeout 60 "$DOCKER" -H "unix://$sock" rm -f $ids >/dev/null 2>&1 || true
    echo "$(echo "$ids" | wc -l) container(s) on $2"
}

stop_recorded() { # NAME [TIMEOUT]: prints what it stopped
    local pid
    pid=$(recorded_pid "$1") || {
        rm -f "$LAB_STATE/pids/$1.pid"
        return 0
    }
    if stop_pid "$pid" "${2:-10}"; then echo "process $1 (pid $pid)"; else warn "$1 (pid $pid) did not stop"; fi
    rm -f "$LAB_STATE/pids/$1.pid"
}

# Kills whatever still runs in cgroup /GROUP (children the daemons left: containerd, shims, containers,
# ssh sessions), except PRESERVE.
sweep_cgroup() { # GROUP [PRESERVE_PID]
    local group=$1 keep=${2:-} pid round
    for round in 1 2 3; do
        local pids=()
        for pid in $(cgroup_pids "$group"); do [ "$pid" = "$keep" ] || pids+=("$pid"); done
        [ ${#pids[@]} -gt 0 ] || return 0
        if [ "$round" = 1 ]; then
            kill -TERM "${pids[@]}" 2>/dev/null || true
            sleep 1
        else
            kill -KILL "${pids[@]}" 2>/dev/null || true
            sleep 0.5
        fi
        echo "${#pids[@]} leftover process(es) in cgroup /$group" >&2
    done
}

remove_cgroups() { # one summary line per lab cgroup
    local group dir removed
    for group in "${LAB_CGROUPS[@]}"; do
        removed=0
        for dir in /sys/fs/cgroup/*/"$group"; do
            [ -d "$dir" ] || continue
            # Depth first: docker made /lab-nN/pods/<container> groups below ours.
            find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
            if [ -d "$dir" ]; then warn "could not remove cgroup $dir"; else removed=$((removed + 1)); fi
        done
        [ "$removed" = 0 ] || echo "cgroup /$group (in $removed hierarchies)"
    done
}

close_ssh_masters() {
    local sock
    for sock in "$LAB_STATE"/ssh/cp/*; do
        [ -S "$sock" ] || continue
        ssh -o ControlPath="$sock" -O exit lab-node >/dev/null 2>&1 || true
        rm -f "$sock"
        echo "ssh control master $(basename "$sock")"
    done
}

teardown() { # prints a summary; returns non-zero if something could not be removed
    local removed node
    removed=$(
        {
            close_ssh_masters
            build_engine_down
            registry_down
            for node in "${LAB_NODES[@]}"; do stop_recorded "$node-kubelet" 15; done
            for node in "${LAB_NODES[@]}"; do stop_recorded "$node-kube-proxy" 15; done
            for node in "${LAB_NODES[@]}"; do
                if recorded_pid "$node-dockerd" >/dev/null; then remove_engine_containers "$(node_docker_sock "$node")" "$node"; fi
                stop_recorded "$node-dockerd" 20
                # A containerd node's containers and shims are in /lab-nN/pods: the sweep below stops them.
                stop_recorded "$node-containerd" 20
                stop_recorded "$node-sshd"
                sweep_cgroup "$node" "$(recorded_pid "$node-holder" 2>/dev/null || true)"
                stop_recorded "$node-holder"
                sweep_cgroup "$node"
            done
            for name in coredns kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_recorded "$name" 15; done
            sweep_cgroup lab-ctl
            net_down
            remove_cgroups
            remove_inventory
            if [ -f "$LAB_STATE/created-host-dirs" ]; then
                local dir
                while read -r dir; do rmdir "$dir" 2>/dev/null && echo "host directory $dir"; done <"$LAB_STATE/created-host-dirs"
                rm -f "$LAB_STATE/created-host-dirs"
            fi
        } 2>&1
    )
    # Runtime data goes too; logs and figures.json stay for post-mortems and the README.
    rm -rf "$LAB_STATE/pids" "$LAB_STATE/pki" "$LAB_STATE/ssh" "$LAB_STATE/nodes" "$LAB_STATE/ctl" "$(build_engine_dir)"
    if [ -n "$removed" ]; then
        echo "lab down: removed"
        indent <<<"$removed"
    fi
    local left
    left=$(lab_leftovers)
    if [ -n "$left" ]; then
        echo "lab down: NOT clean, still present:" >&2
        indent <<<"$left" >&2
        return 1
    fi
}
