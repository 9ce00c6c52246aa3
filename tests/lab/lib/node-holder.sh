#!/usr/bin/env bash
# Runs as the first process of a lab node, already inside the node's network namespace and in a new mount
# and UTS namespace (see start_node_holder in nodes.sh). It gives the node the private paths that kubelet
# v1.20 and dockerd hard-code, then sleeps: its mount namespace is the node, every node daemon joins it.
# Usage: node-holder.sh NODE NODE_DIR
set -euo pipefail
node=$1 node_dir=$2

hostname "$node"

# A sysfs of this network namespace (so the node sees its own eth0 and cni0), with the host's cgroup tree
# re-attached under it (kubelet, cadvisor and dockerd need /sys/fs/cgroup).
mount --rbind /sys/fs/cgroup "$node_dir/cgroup-mnt"
mount -t sysfs sysfs /sys
mount --rbind "$node_dir/cgroup-mnt" /sys/fs/cgroup
umount -R "$node_dir/cgroup-mnt"

# Node-private copies of paths fixed in code: /run (docker.sock, docker.pid, sshd), pod logs, the
# dockershim checkpoints and /var/lib/kubelet (device-plugin socket), plus /tmp and the node's identity
# files. Without them the three kubelets delete each other's pod logs and checkpoints.
mount --bind "$node_dir/run" /run
mkdir -p /run/sshd /run/lock
chmod 0755 /run/sshd
mount --bind "$node_dir/log/pods" /var/log/pods
mount --bind "$node_dir/log/containers" /var/log/containers
mount --bind "$node_dir/dockershim" /var/lib/dockershim
mount --bind "$node_dir/kubelet" /var/lib/kubelet
mount --bind "$node_dir/tmp" /tmp
mount --bind "$node_dir/etc/resolv.conf" /etc/resolv.conf
mount --bind "$node_dir/etc/hosts" /etc/hosts
mount --bind "$node_dir/etc/hostname" /etc/hostname

echo "node $node: namespaces ready"
exec sleep infinity
