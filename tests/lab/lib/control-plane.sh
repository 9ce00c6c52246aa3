# shellcheck shell=bash
# etcd, kube-apiserver, kube-controller-manager and kube-scheduler, all in namespace lab-ctl and cgroup
# /lab-ctl. etcd and the controllers listen on lab-ctl's loopback only; the API server on 10.200.0.1:6443.

port_in_use() { # NETNS PORT
    [ -n "$(nsenter --net="/run/netns/$1" ss -Hltn "sport = :$2" 2>/dev/null)" ]
}

control_plane_up() {
    local pki=$LAB_STATE/pki logs=$LAB_STATE/logs port
    for port in "$LAB_API_PORT" "$LAB_ETCD_PORT"; do
        if port_in_use "$LAB_CTL_NS" "$port"; then
            die "port $port is already in use inside namespace $LAB_CTL_NS ($(nsenter --net="/run/netns/$LAB_CTL_NS" ss -Hltnp "sport = :$port" | head -n1)); run: bash tests/lab/lab.sh down"
        fi
    done
    mkdir -p "$LAB_STATE/ctl"

    start_daemon etcd lab-ctl "$logs/etcd.log" -- \
        nsenter --net="/run/netns/$LAB_CTL_NS" /usr/bin/etcd \
        --name lab --data-dir "$LAB_STATE/ctl/etcd" \
        --listen-client-urls "http://127.0.0.1:$LAB_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$LAB_ETCD_PORT" \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster lab=http://127.0.0.1:2380 --listen-metrics-urls=

    start_daemon kube-apiserver lab-ctl "$logs/kube-apiserver.log" -- \
        nsenter --net="/run/netns/$LAB_CTL_NS" "$LAB_BIN/kube-apiserver" \
        --etcd-servers="http://127.0.0.1:$LAB_ETCD_PORT" \
        --bind-address=0.0.0.0 --secure-port="$LAB_API_PORT" --advertise-address="$LAB_CTL_IP" \
        --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
        --client-ca-file="$pki/ca.crt" \
        --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-cluster-ip-range=10.96.0.0/16 \
        --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
        --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key" \
        --kubelet-preferred-address-types=InternalIP \
        --cert-dir="$LAB_STATE/ctl/apiserver-certs" --profiling=false --v=1

    if ! wait_for "$LAB_APISERVER_TIMEOUT" kc get --raw /readyz; then
        local name
        for name in etcd kube-apiserver; do
            echo "--- last lines of $logs/$name.log" >&2
            tail -n 15 "$logs/$name.log" >&2 || true
        done
        die "the API server was not ready at https://$LAB_CTL_IP:$LAB_API_PORT after ${LAB_APISERVER_TIMEOUT}s (logs above); run: bash tests/lab/lab.sh down, then up again"
    fi
    log "API server ready"

    start_daemon kube-controller-manager lab-ctl "$logs/kube-controller-manager.log" -- \
        nsenter --net="/run/netns/$LAB_CTL_NS" "$LAB_BIN/kube-controller-manager" \
        --kubeconfig="$pki/controller-manager.kubeconfig" \
        --authentication-kubeconfig="$pki/controller-manager.kubeconfig" \
        --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
        --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
        --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
        --use-service-account-credentials=true --allocate-node-cidrs=false \
        --leader-elect=false --bind-address=127.0.0.1 --port=0 --profiling=false

    start_daemon kube-scheduler lab-ctl "$logs/kube-scheduler.log" -- \
        nsenter --net="/run/netns/$LAB_CTL_NS" "$LAB_BIN/kube-scheduler" \
        --kubeconfig="$pki/scheduler.kubeconfig" \
        --authentication-kubeconfig="$pki/scheduler.kubeconfig" \
        --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
        --leader-elect=false --bind-address=127.0.0.1 --port=0 --profiling=false
}

# Pods need the default service account, which the controller-manager creates.
wait_default_service_account() {
    wait_for 60 kc get serviceaccount default -n default ||
        die "the controller-manager did not create the default service account in 60s; see $LAB_STATE/logs/kube-controller-manager.log:
$(tail -n 15 "$LAB_STATE/logs/kube-controller-manager.log")"
}
