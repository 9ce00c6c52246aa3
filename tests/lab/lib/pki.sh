# shellcheck shell=bash
# The lab's own CA and certificates, made with openssl, fresh for every `up` (nothing secret survives `down`).
#
#   ca                 signs everything; also the cluster-signing CA of the controller-manager
#   apiserver          serving cert; SANs cover in-cluster names, 127.0.0.1 and the lab address 10.200.0.1
#   admin              O=system:masters: the inventory's kubeconfig, and the API server's kubelet client
#   controller-manager / scheduler   their own identities (system:kube-*), bound by the default RBAC
#   node-lab-nN        CN=system:node:lab-nN, O=system:nodes: for the Node authorizer and NodeRestriction
#   kube-proxy         CN=system:kube-proxy, bound to system:node-proxier by the default RBAC
#   coredns            CN=lab-coredns, granted read access to Services and endpoints by tests/lab/lib/dns.sh
#   sa.key / sa.pub    service-account token signing pair

PKI_DAYS=30

pki_key() { openssl genrsa -out "$1" 2048 2>/dev/null; }

pki_sign() { # NAME SUBJECT EXTENSIONS -> NAME.key NAME.crt signed by ca
    local dir=$LAB_STATE/pki name=$1 subject=$2 ext=$3
    pki_key "$dir/$name.key"
    openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$dir/$name.csr" 2>/dev/null
    printf '[ext]\n%s\n' "$ext" >"$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
        -days "$PKI_DAYS" -extfile "$dir/$name.ext" -extensions ext -out "$dir/$name.crt" 2>/dev/null
    rm -f "$dir/$name.csr" "$dir/$name.ext"
}

make_kubeconfig() { # OUT USER CERT_NAME
    local dir=$LAB_STATE/pki out=$1 user=$2 name=$3
    cat >"$out" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://$LAB_CTL_IP:$LAB_API_PORT
    certificate-authority-data: $(base64 -w0 "$dir/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$dir/$name.crt")
    client-key-data: $(base64 -w0 "$dir/$name.key")
contexts:
- name: lab
  context: {cluster: lab, user: $user}
current-context: lab
KUBECONFIG
    chmod 0600 "$out"
}

make_pki() {
    local dir=$LAB_STATE/pki node
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 0700 "$dir"
    pki_key "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -subj "/CN=dataplane-alluxio-spark-lab-ca" -days "$PKI_DAYS" \
        -out "$dir/ca.crt" 2>/dev/null

    local client='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'
    pki_sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:$LAB_CTL_NS,IP:127.0.0.1,IP:10.96.0.1,IP:$LAB_CTL_IP"
    pki_sign admin "/O=system:masters/CN=lab-admin" "$client"
    pki_sign controller-manager "/CN=system:kube-controller-manager" "$client"
    pki_sign scheduler "/CN=system:kube-scheduler" "$client"
    for node in "${LAB_NODES[@]}"; do
        pki_sign "node-$node" "/O=system:nodes/CN=system:node:$node" "$client"
    done
    pki_sign kube-proxy "/CN=system:kube-proxy" "$client"
    pki_sign coredns "/CN=$LAB_COREDNS_USER" "$client"
    pki_key "$dir/sa.key"
    openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null

    make_kubeconfig "$dir/admin.kubeconfig" lab-admin admin
    make_kubeconfig "$dir/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
    make_kubeconfig "$dir/scheduler.kubeconfig" system:kube-scheduler scheduler
    make_kubeconfig "$dir/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
    make_kubeconfig "$dir/coredns.kubeconfig" "$LAB_COREDNS_USER" coredns
    for node in "${LAB_NODES[@]}"; do
        make_kubeconfig "$dir/node-$node.kubeconfig" "system:node:$node" "node-$node"
    done
}

# SSH: one client key for root on every node, one host key per node.
make_ssh_keys() {
    local dir=$LAB_STATE/ssh node
    rm -rf "$dir"
    mkdir -p "$dir/cp"
    chmod 0700 "$dir" "$dir/cp"
    ssh-keygen -q -t ed25519 -N '' -C lab-root -f "$dir/id_ed25519"
    cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
    for node in "${LAB_NODES[@]}"; do
        ssh-keygen -q -t ed25519 -N '' -C "$node" -f "$dir/host-$node"
    done
}
