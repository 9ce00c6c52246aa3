# shellcheck shell=bash
# Cluster DNS: the real CoreDNS, built from its Go module and run in lab-ctl on $LAB_DNS_IP:53, outside
# the cluster like a managed DNS. It watches the API server with its own least-privilege identity.
#
# Cache: $LAB_CACHE/coredns-<version>-<go toolchain sha>/coredns (+ build.json); the module downloads stay
# in $LAB_CACHE/go-mod, so a rebuild for a new Go toolchain fetches nothing.

coredns_cache_dir() {
    echo "$LAB_CACHE/coredns-$LAB_COREDNS_VERSION-$(go version | sha256sum | cut -c1-12)"
}

# Sets LAB_COREDNS_BIN, building first when needed.
ensure_coredns() {
    command -v go >/dev/null 2>&1 || die "go not found: CoreDNS is built from its Go module (install golang-go)"
    local dir work started=$SECONDS
    dir=$(coredns_cache_dir)
    LAB_COREDNS_BIN=$dir/coredns
    [ -x "$LAB_COREDNS_BIN" ] && [ -f "$dir/build.json" ] && return 0
    log "building CoreDNS $LAB_COREDNS_VERSION from the Go module proxy (about 2 minutes)"
    work=$(mktemp -d "$LAB_CACHE/coredns-work.XXXXXX")
    mkdir -p "$LAB_CACHE/go-mod" "$LAB_BUILD_LOG_DIR"
    # GOTOOLCHAIN=local: never download another Go; -trimpath and CGO off: a static, path-free binary.
    if ! env GOTOOLCHAIN=local GOMODCACHE="$LAB_CACHE/go-mod" GOCACHE="$work/gocache" GOPATH="$work/gopath" \
        GOBIN="$work/out" CGO_ENABLED=0 GOFLAGS=-trimpath HOME="$work" \
        go install "$LAB_COREDNS_MODULE@$LAB_COREDNS_VERSION" >"$LAB_BUILD_LOG_DIR/coredns.log" 2>&1; then
        rm -rf "$work"
        die "building CoreDNS failed; last lines of $LAB_BUILD_LOG_DIR/coredns.log:
$(tail -n 15 "$LAB_BUILD_LOG_DIR/coredns.log")"
    fi
    "$work/out/coredns" -version >/dev/null || die "the CoreDNS binary built in $work/out does not run"
    jq -n --arg mod "$LAB_COREDNS_MODULE" --arg version "$LAB_COREDNS_VERSION" --arg go "$(go version)" \
        --arg built "$(date -u +%FT%TZ)" --argjson seconds "$((SECONDS - started))" \
        '{"module": $mod, version: $version, go: $go, built_at: $built, build_seconds: $seconds}' \
        >"$work/out/build.json"
    rm -rf "$dir"
    mv "$work/out" "$dir"
    rm -rf "$work"
    LAB_COREDNS_BUILD_SECONDS=$((SECONDS - started))
    log "CoreDNS built in ${LAB_COREDNS_BUILD_SECONDS}s, cached in $dir"
}

# What CoreDNS's kubernetes plugin reads (the same rules as the Kubernetes addon's system:coredns role).
coredns_rbac() {
    kc apply -f - >/dev/null <<RBAC
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "lab:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "lab:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "lab:coredns"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: $LAB_COREDNS_USER}
RBAC
}

coredns_up() {
    local conf=$LAB_STATE/ctl/Corefile
    if port_in_use "$LAB_CTL_NS" 53; then
        die "port 53 is already in use inside namespace $LAB_CTL_NS; run: bash tests/lab/lab.sh down"
    fi
    coredns_rbac || die "could not create CoreDNS's RBAC objects"
    # No forward plugin: the lab has no upstream resolver, so names outside cluster.local fail at once.
    cat >"$conf" <<COREFILE
.:53 {
    bind $LAB_DNS_IP
    errors
    ready $LAB_DNS_IP:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $LAB_STATE/pki/coredns.kubeconfig lab
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
}
COREFILE
    start_daemon coredns lab-ctl "$LAB_STATE/logs/coredns.log" -- \
        nsenter --net="/run/netns/$LAB_CTL_NS" "$LAB_COREDNS_BIN" -conf "$conf"
    # /ready answers 200 once the kubernetes plugin has synced with the API server.
    wait_for 60 curl -fsS --max-time 2 "http://$LAB_DNS_IP:8181/ready" ||
        die "CoreDNS was not ready on $LAB_DNS_IP:8181 after 60s; last lines of $LAB_STATE/logs/coredns.log:
$(tail -n 15 "$LAB_STATE/logs/coredns.log")"
    log "CoreDNS ready on $LAB_DNS_IP:53 (cluster.local)"
}
