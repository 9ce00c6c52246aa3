# shellcheck shell=bash
# Installs the Debian packages the lab needs, and nothing when they are all present (no network then).

LAB_APT_PACKAGES=(
    docker.io                               # one engine per node (dockershim talks to it)
    etcd-server                             # the API server's store
    golang-go rsync jq make                 # building kube-* from Debian's kubernetes source package
    golang-github-modern-go-reflect2-dev    # patch 1: reflect2 1.0.2 sources replace the vendored 1.0.1
    gcc libc6-dev                           # the static pause binary
    containernetworking-plugins             # CNI bridge, host-local, loopback
    openssh-server openssh-client           # one sshd per node, so Ansible manages nodes over real SSH
    iproute2 openssl util-linux procps      # namespaces and veths, the lab CA, nsenter/unshare/flock
    docker-registry apache2-utils curl      # the registry (TLS, bcrypt htpasswd) and its readiness check
    python3                                 # Ansible modules run on the nodes
    iptables conntrack                      # kube-proxy's Service rules, and its flush of stale UDP (DNS) entries
)

ensure_packages() {
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found: the lab installs its tools from Debian packages and supports Debian 12 (bookworm) only"
    local missing=() pkg
    for pkg in "${LAB_APT_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f '${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    mkdir -p "$LAB_CACHE/logs"
    # Services these packages ship (docker, ssh) are not used: the lab starts its own instances.
    DEBIAN_FRONTEND=noninteractive "${APT_GET[@]}" update >"$LAB_CACHE/logs/apt-update.log" 2>&1 ||
        die "apt-get update failed (see $LAB_CACHE/logs/apt-update.log); the lab needs the Debian archive to install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${APT_GET[@]}" install --no-install-recommends "${missing[@]}" \
        >"$LAB_CACHE/logs/apt-install.log" 2>&1 ||
        die "apt-get install ${missing[*]} failed; see $LAB_CACHE/logs/apt-install.log"
    log "packages installed"
}

# Checks the kernel and tool features the lab relies on, with a message saying what to do.
check_host() {
    if [ ! -d /sys/fs/cgroup/memory ] || [ ! -d /sys/fs/cgroup/pids ]; then
        die "the lab needs the cgroup v1 memory and pids hierarchies (/sys/fs/cgroup/memory); kubelet v1.20 does not run on a cgroup v2-only host. Boot with systemd.unified_cgroup_hierarchy=0"
    fi
    # The lab range must be free on the host: it is attached to the host only through the lab's veth.
    if ip -4 -o addr show | grep -v " $LAB_HOST_IF " | grep -q " $LAB_NET_PREFIX\."; then
        die "$LAB_NET_PREFIX.0/24 is already used by a host interface: $(ip -4 -o addr show | grep " $LAB_NET_PREFIX\." | awk '{print $2}' | head -n1). Remove it, or stop what uses it, before make lab-up"
    fi
    if ip -4 route show | grep -v " dev $LAB_HOST_IF " | grep -q "^$LAB_NET_PREFIX\.0/24"; then
        die "the host already has a route to $LAB_NET_PREFIX.0/24 that is not the lab's; remove it before make lab-up"
    fi
}
