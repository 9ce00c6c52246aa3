# shellcheck shell=bash
# The three worker nodes. Each node lab-nN is: network namespace lab-nN; a holder process owning its mount
# and UTS namespaces (lib/node-holder.sh); sshd, the container runtime (dockerd, or containerd on the nodes
# in LAB_CONTAINERD_NODES), kubelet and kube-proxy entered into those namespaces; cgroup /lab-nN holding all
# of them and, below /lab-nN/pods, every container of the node.

DOCKER=/usr/bin/docker  # Debian's client, same version as the engines (a newer docker may be first in PATH)

# Host paths the node namespaces mount over. They must exist as mount points; those the lab had to create
# are recorded and removed by `down`.
LAB_HOST_MOUNTPOINTS=(/var/log/pods /var/log/containers /var/lib/dockershim /var/lib/kubelet)

render() { # TEMPLATE OUT KEY=VALUE...: replaces @KEY@ (values never contain '|')
    local template=$1 out=$2 kv args=()
    shift 2
    for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${args[@]}" "$template" >"$out"
}

ensure_host_mountpoints() {
    local dir
    for dir in "${LAB_HOST_MOUNTPOINTS[@]}"; do
        if [ ! -d "$dir" ]; then
            mkdir -p "$dir"
            echo "$dir" >>"$LAB_STATE/created-host-dirs"
        fi
    done
}

# Runs CMD... in node NODE's namespaces (net, mount, UTS), as a daemon in the node's cgroup.
start_node_daemon() { # NODE NAME -- CMD...
    local node=$1 name=$2 holder
    shift 3
    holder=$(recorded_pid "$node-holder") || die "$node: its namespace holder is gone; see $LAB_STATE/logs/$node-holder.log"
    start_daemon "$node-$name" "$node" "$LAB_STATE/logs/$node-$name.log" -- nsenter -t "$holder" -n -m -u "$@"
}

node_prepare_files() { # NODE
    local node=$1 dir n
    dir=$(node_dir "$node")
    n=$(node_index "$node")
    mkdir -p "$dir"/{run,docker,kubelet,dockershim,tmp,etc,cgroup-mnt,cni/net.d,cni/cache,cni/ipam,log/pods,log/containers}
    chmod 1777 "$dir/tmp"
    {
        echo "127.0.0.1 localhost"
        echo "$LAB_CTL_IP $LAB_CTL_NS"
        local other
        for other in "${LAB_NODES[@]}"; do echo "$(node_ip "$other") $other"; done
    } >"$dir/etc/hosts"
    echo "$node" >"$dir/etc/hostname"
    # No name server: nothing in the lab may resolve (let alone reach) anything outside it.
    echo "# lab node $node: no DNS" >"$dir/etc/resolv.conf"
    echo '{}' >"$dir/docker-daemon.json"
    render "$LAB_DIR/templates/cni.conflist" "$dir/cni/net.d/10-lab.conflist" \
        "POD_CIDR=10.244.$n.0/24" "NODE_DIR=$dir"
    render "$LAB_DIR/templates/kubelet-config.yaml" "$dir/kubelet-config.yaml" "STATE=$LAB_STATE" "NODE_DIR=$dir" \
        "DNS_IP=$LAB_DNS_IP"
    if [ "$(node_runtime "$node")" = containerd ]; then
        render "$LAB_DIR/templates/containerd.toml" "$dir/containerd.toml" "NODE_DIR=$dir" \
            "PAUSE_IMAGE=$LAB_PAUSE_IMAGE" "REGISTRY_ADDR=$(registry_addr)" "REGISTRY_CA=$(registry_trust_file)"
        printf 'cgroupsPerQOS: true\ncgroupRoot: /%s/pods\n' "$node" >>"$dir/kubelet-config.yaml"
    else
        echo 'cgroupsPerQOS: false' >>"$dir/kubelet-config.yaml"
    fi
    render "$LAB_DIR/templates/kube-proxy-config.yaml" "$dir/kube-proxy-config.yaml" "STATE=$LAB_STATE" \
        "NODE=$node" "NODE_IP=$(node_ip "$node")"
    render "$LAB_DIR/templates/sshd_config" "$dir/sshd_config" "SSH_PORT=$LAB_SSH_PORT" \
        "NODE_IP=$(node_ip "$node")" "HOST_KEY=$LAB_STATE/ssh/host-$node" "STATE=$LAB_STATE"
}

# Kubelet's flags common to both runtimes, into the array named OUT.
kubelet_argv() { # NODE OUT
    local node=$1 dir
    local -n out=$2
    dir=$(node_dir "$node")
    out=("$LAB_BIN/kubelet" --kubeconfig="$LAB_STATE/pki/node-$node.kubeconfig" --config="$dir/kubelet-config.yaml"
        --root-dir="$dir/kubelet" --hostname-override="$node" --node-ip="$(node_ip "$node")" --v=1)
}

node_up_docker() { # NODE: the node's own Docker engine, images loaded, kubelet on dockershim
    local node=$1 dir sock tar
    dir=$(node_dir "$node")
    sock=$(node_docker_sock "$node")
    # Own data root, exec root, pidfile and socket, under /run of the node.
    start_node_daemon "$node" dockerd -- /usr/sbin/dockerd \
        --config-file="$dir/docker-daemon.json" --data-root="$dir/docker" --exec-root=/run/docker \
        --pidfile=/run/docker.pid -H unix:///run/docker.sock \
        --storage-driver=overlay2 --iptables=false --ip-masq=false --bridge=none \
        --cgroup-parent="/$node/pods"
    wait_for 60 "$DOCKER" -H "unix://$sock" version ||
        die "$node: dockerd did not answer on $sock in 60s: $(tail -n 5 "$LAB_STATE/logs/$node-dockerd.log")"

    # Nothing can be pulled, so each engine gets its images loaded, as on a registry-less cluster.
    for tar in pause busybox; do
        node_load_image "$node" "$LAB_IMAGES/$tar.tar" || die "$node: docker load $LAB_IMAGES/$tar.tar failed"
    done
    log "$node: dockerd ready, images loaded"

    local kubelet
    kubelet_argv "$node" kubelet
    start_node_daemon "$node" kubelet -- "${kubelet[@]}" \
        --container-runtime=docker --docker-endpoint=unix:///run/docker.sock \
        --experimental-dockershim-root-directory="$dir/dockershim" \
        --pod-infra-container-image="$LAB_PAUSE_IMAGE" \
        --network-plugin=cni --cni-bin-dir=/usr/lib/cni --cni-conf-dir="$dir/cni/net.d" \
        --cni-cache-dir="$dir/cni/cache"
}

node_up_containerd() { # NODE: Debian's containerd, images imported, kubelet on containerd's CRI
    local node=$1 dir sock tar controller
    dir=$(node_dir "$node")
    sock=$(node_containerd_sock "$node")
    # Kubelet's cgroupRoot (kubelet-config.yaml) must exist in every hierarchy it manages; cpuset needs
    # its cpus and mems filled in before anything can join a group below it.
    for controller in /sys/fs/cgroup/*/; do
        [ "$controller" = /sys/fs/cgroup/unified/ ] && continue
        mkdir -p "$controller$node/pods"
    done
    local level
    for level in "$node" "$node/pods"; do
        cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$level/cpuset.cpus"
        cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$level/cpuset.mems"
    done
    start_node_daemon "$node" containerd -- /usr/bin/containerd --config "$dir/containerd.toml"
    wait_for 60 /usr/bin/ctr --address "$sock" version ||
        die "$node: containerd did not answer on $sock in 60s: $(tail -n 5 "$LAB_STATE/logs/$node-containerd.log")"

    for tar in pause busybox; do
        node_load_image "$node" "$LAB_IMAGES/$tar.tar" || die "$node: ctr images import $LAB_IMAGES/$tar.tar failed"
    done
    log "$node: containerd ready, images imported"

    # The kubelet's dockershim flags do not apply: the CNI set-up is containerd's (containerd.toml).
    local kubelet
    kubelet_argv "$node" kubelet
    start_node_daemon "$node" kubelet -- "${kubelet[@]}" \
        --container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock
}

node_up() { # NODE: runs in a background subshell, one per node
    local node=$1 dir holder
    dir=$(node_dir "$node")
    node_prepare_files "$node"

    # 1. namespaces: the holder enters the node's netns and unshares mount + UTS.
    start_daemon "$node-holder" "$node" "$LAB_STATE/logs/$node-holder.log" -- \
        nsenter --net="/run/netns/$node" unshare --mount --uts --propagation slave \
        bash "$LAB_DIR/lib/node-holder.sh" "$node" "$dir"
    holder=$(recorded_pid "$node-holder") || die "$node: holder did not start; see $LAB_STATE/logs/$node-holder.log"
    # The holder execs `sleep` once every mount is in place.
    wait_for 20 proc_comm_is "$holder" sleep ||
        die "$node: namespace set-up failed: $(tail -n 5 "$LAB_STATE/logs/$node-holder.log")"
    log "$node: namespaces ready"

    # 2. sshd on the node's address, so Ansible manages the node over real SSH.
    if port_in_use "$node" "$LAB_SSH_PORT"; then
        die "$node: port $LAB_SSH_PORT is already in use inside namespace $node; run: bash tests/lab/lab.sh down"
    fi
    start_node_daemon "$node" sshd -- /usr/sbin/sshd -D -e -f "$dir/sshd_config"

    # 3-5. the node's container runtime, its images, and kubelet talking to it.
    case $(node_runtime "$node") in
        docker) node_up_docker "$node" ;;
        containerd) node_up_containerd "$node" ;;
    esac
    log "$node: kubelet started"

    # 6. kube-proxy: ClusterIP Services (kubernetes.default included) from every pod of the node.
    start_node_daemon "$node" kube-proxy -- "$LAB_BIN/kube-proxy" --config="$dir/kube-proxy-config.yaml" --v=1
    log "$node: kube-proxy started"
}

nodes_up() {
    ensure_host_mountpoints
    local node pids=() failed=()
    for node in "${LAB_NODES[@]}"; do
        (node_up "$node") &
        pids+=($!)
    done
    local i
    for i in "${!LAB_NODES[@]}"; do
        wait "${pids[$i]}" || failed+=("${LAB_NODES[$i]}")
    done
    [ ${#failed[@]} -eq 0 ] || die "node start-up failed for: ${failed[*]} (messages above)"
}

node_ready() { # NODE
    [ "$(kc get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

wait_nodes_ready() {
    local deadline=$((SECONDS + LAB_NODE_READY_TIMEOUT)) node pending
    while :; do
        pending=()
        for node in "${LAB_NODES[@]}"; do node_ready "$node" || pending+=("$node"); done
        [ ${#pending[@]} -gt 0 ] || return 0
        [ "$SECONDS" -lt "$deadline" ] || break
        sleep 0.5
    done
    for node in "${pending[@]}"; do
        echo "--- $node never became Ready; last lines of $LAB_STATE/logs/$node-kubelet.log:" >&2
        tail -n 25 "$LAB_STATE/logs/$node-kubelet.log" | cut -c1-300 >&2 || true
    done
    die "node(s) ${pending[*]} not Ready after ${LAB_NODE_READY_TIMEOUT}s (kubelet logs above). The lab is left running for inspection: bash tests/lab/lab.sh status; then bash tests/lab/lab.sh down"
}
