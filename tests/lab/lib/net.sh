# shellcheck shell=bash
# The lab network: namespace lab-ctl holds bridge labbr0 (10.200.0.1/24) and the control plane; each node
# namespace lab-nN has eth0 10.200.0.1N on that bridge. The host gets 10.200.0.254/24 on one veth into the
# bridge: a connected route only, so kubectl, ssh and Ansible reach the lab and nothing routes beyond it.
# lab-ctl has no default route, so no packet from a node or a pod can leave the lab.

# Paths `ip netns add` creates on first use; removed by `down` only if the lab was the one that created them.
netns_dir_premounted_flag() { echo "$LAB_STATE/host-had-run-netns-mount"; }

net_up() {
    # Remember whether /run/netns existed as a mount before the lab, to leave it as found.
    if [ ! -e "$LAB_STATE/host-netns-checked" ]; then
        if mountpoint -q /run/netns 2>/dev/null; then touch "$(netns_dir_premounted_flag)"; fi
        touch "$LAB_STATE/host-netns-checked"
    fi

    ip netns add "$LAB_CTL_NS"
    ip -n "$LAB_CTL_NS" link set lo up
    ip -n "$LAB_CTL_NS" link add "$LAB_BRIDGE" type bridge
    ip -n "$LAB_CTL_NS" addr add "$LAB_CTL_IP/24" dev "$LAB_BRIDGE"
    ip -n "$LAB_CTL_NS" link set "$LAB_BRIDGE" up
    # lab-ctl routes between the nodes' pod ranges (forwarding is per namespace; the host's is untouched).
    in_ctl_ns sysctl -qw net.ipv4.ip_forward=1

    # Host end: created in the host namespace, peer moved straight into lab-ctl.
    ip link add "$LAB_HOST_IF" type veth peer name host0 netns "$LAB_CTL_NS"
    sysctl -qw "net.ipv6.conf.$LAB_HOST_IF.disable_ipv6=1"
    ip -n "$LAB_CTL_NS" link set host0 master "$LAB_BRIDGE" up
    ip addr add "$LAB_HOST_IP/24" dev "$LAB_HOST_IF"
    ip link set "$LAB_HOST_IF" up

    local node n ip
    for node in "${LAB_NODES[@]}"; do
        n=$(node_index "$node")
        ip=$(node_ip "$node")
        ip netns add "$node"
        ip -n "$node" link set lo up
        # Both ends are created inside lab namespaces: nothing appears on the host.
        ip -n "$LAB_CTL_NS" link add "veth-$node" type veth peer name eth0 netns "$node"
        ip -n "$LAB_CTL_NS" link set "veth-$node" master "$LAB_BRIDGE" up
        ip -n "$node" addr add "$ip/24" dev eth0
        ip -n "$node" link set eth0 up
        ip -n "$node" route add default via "$LAB_CTL_IP"
        nsenter --net="/run/netns/$node" sysctl -qw net.ipv4.ip_forward=1
        ip -n "$LAB_CTL_NS" route add "10.244.$n.0/24" via "$ip"
    done
}

# Lab namespaces present on the machine, by name.
lab_netns() {
    ip netns list 2>/dev/null | awk '{ print $1 }' | grep -xE "$LAB_CTL_NS|lab-n[0-9]+" || true
}

net_down() { # prints what it removed
    local ns
    if ip link show "$LAB_HOST_IF" >/dev/null 2>&1; then
        ip link del "$LAB_HOST_IF" && echo "host veth $LAB_HOST_IF"
    fi
    for ns in $(lab_netns); do
        ip netns del "$ns" && echo "netns $ns"
    done
    # `ip netns add` turned /run/netns into a mount point; undo that if the lab did it and nobody else
    # has a namespace there now.
    if [ -e "$LAB_STATE/host-netns-checked" ] && [ ! -e "$(netns_dir_premounted_flag)" ] &&
        mountpoint -q /run/netns 2>/dev/null && [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
        umount /run/netns && rmdir /run/netns 2>/dev/null && echo "mount /run/netns (made by ip netns)"
    fi
    rm -f "$LAB_STATE/host-netns-checked" "$(netns_dir_premounted_flag)"
}
