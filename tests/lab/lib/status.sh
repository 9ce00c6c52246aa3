# shellcheck shell=bash
# `status` and the figures: which lab processes run, node readiness, memory, leftovers.

lab_daemons() { # the pid-file names of a complete lab
    echo etcd kube-apiserver kube-controller-manager kube-scheduler coredns build-dockerd registry
    local node
    for node in "${LAB_NODES[@]}"; do
        echo "$node-holder $node-sshd $node-$(node_runtime "$node" | sed 's/^docker$/dockerd/') $node-kubelet $node-kube-proxy"
    done
}

# True when every daemon runs and every node is Ready (the fast path of `up`).
lab_healthy() {
    local name
    for name in $(lab_daemons); do recorded_pid "$name" >/dev/null || return 1; done
    [ -x "${LAB_BIN:-}/kubectl" ] || return 1
    local node
    for node in "${LAB_NODES[@]}"; do node_ready "$node" || return 1; done
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# JSON: RSS (MiB) per process kind for each node cgroup and for the control plane.
memory_json() {
    local group pid comm rss
    {
        for group in lab-ctl "${LAB_NODES[@]}"; do
            for pid in $(cgroup_pids "$group"); do
                comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
                rss=$(rss_kib "$pid")
                printf '%s\t%s\t%s\n' "$group" "${comm:-?}" "${rss:-0}"
            done
        done
    } | jq -R -s '
        [split("\n")[] | select(length > 0) | split("\t") | {group: .[0], comm: .[1], kib: (.[2] | tonumber)}]
        | group_by(.group)
        | map({key: .[0].group, value: (
              (group_by(.comm) | map({key: .[0].comm, value: ((map(.kib) | add) / 1024 | floor)}) | from_entries)
              + {total_mib: ((map(.kib) | add) / 1024 | floor)})})
        | from_entries
        | . + {all_total_mib: ([.[] | .total_mib] | add)}'
}

# Records this run's timings (seconds) and memory into $LAB_STATE/figures.json, keeping the last cold run
# (one that built) and the last cached run side by side:
#   build_seconds         compiling (0 on a cache hit)
#   recovery_seconds      tearing down what a crashed or interrupted earlier run left
#   apiserver_ready_seconds / start_to_ready_seconds   from the start of the network set-up
#   total_seconds         the whole `lab.sh up`, packages and build included
write_figures() { # BUILD RECOVERY API_READY START_TO_READY TOTAL
    local file=$LAB_STATE/figures.json kind=cached run
    [ "$1" -gt 0 ] && kind=cold
    run=$(jq -n --arg when "$(date -u +%FT%TZ)" --argjson build "$1" --argjson recovery "$2" --argjson api "$3" \
        --argjson ready "$4" --argjson total "$5" --argjson mem "$(memory_json)" --arg cpu "$(nproc)" \
        --arg host "$(uname -r)" --arg key "$(basename "$LAB_BUILD_DIR")" \
        '{when: $when, build_seconds: $build, recovery_seconds: $recovery, apiserver_ready_seconds: $api,
          start_to_ready_seconds: $ready, total_seconds: $total, memory_rss_mib: $mem, cpus: ($cpu | tonumber),
          kernel: $host, cache_key: $key}')
    [ -f "$file" ] || echo '{}' >"$file"
    jq --argjson run "$run" --arg kind "$kind" '.[$kind] = $run | .last = $run | .last.kind = $kind' "$file" >"$file.tmp"
    mv "$file.tmp" "$file"
    echo "$run"
}

print_figures_summary() { # RUN_JSON
    jq -r '
        "time to Ready: \(.total_seconds)s in all (build \(.build_seconds)s, clean-up of an earlier run \(.recovery_seconds)s, start-up to Ready \(.start_to_ready_seconds)s, API server after \(.apiserver_ready_seconds)s)",
        "memory (RSS MiB): control plane \(.memory_rss_mib["lab-ctl"].total_mib // 0)"
          + ([.memory_rss_mib | to_entries[] | select(.key | startswith("lab-n"))
              | ", \(.key) \(.value.total_mib) (kubelet \(.value.kubelet // 0), dockerd \(.value.dockerd // 0), containerd \(.value.containerd // 0))"]
             | join("")),
        "memory total: \(.memory_rss_mib.all_total_mib) MiB"' <<<"$1"
}

cmd_status() {
    local name pid state=down missing=0 running=0
    for name in $(lab_daemons); do
        if pid=$(recorded_pid "$name"); then
            running=$((running + 1))
        else
            missing=$((missing + 1))
        fi
    done
    if [ "$running" -gt 0 ]; then
        echo "lab processes: $running running, $missing missing"
        for name in $(lab_daemons); do
            if pid=$(recorded_pid "$name"); then
                printf '  %-26s pid %-7s rss %s MiB\n' "$name" "$pid" "$(($(rss_kib "$pid") / 1024))"
            else
                printf '  %-26s NOT RUNNING\n' "$name"
            fi
        done
        if [ -n "${LAB_BIN:-}" ] && kc get nodes -o wide 2>/dev/null; then :; else echo "API server: not reachable"; fi
        if lab_healthy; then
            state=up
            print_figures_summary "$(jq -n --argjson mem "$(memory_json)" '{memory_rss_mib: $mem}')" | tail -n 2
            [ -f "$LAB_STATE/inventory-paths" ] && sed 's/^/inventory: /' "$LAB_STATE/inventory-paths"
        else
            state=degraded
        fi
    fi
    local left
    left=$(lab_leftovers)
    if [ "$state" = down ] && [ -n "$left" ]; then
        state=leftovers
        echo "lab is down but left this behind (bash tests/lab/lab.sh down removes it):"
        indent <<<"$left"
    fi
    if [ -f "$LAB_STATE/figures.json" ]; then
        echo "figures: $LAB_STATE/figures.json"
    fi
    echo "lab state: $state"
    case $state in
        up) return 0 ;;
        down) return 3 ;;
        *) return 1 ;;
    esac
}
