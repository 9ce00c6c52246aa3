# shellcheck shell=bash
# The lab's container registry, for the spark_image role's `registry` distribution: Debian's docker-registry
# (distribution 2.8) on the host end of the lab veth, 10.200.0.254:5000, which the host (the build engine)
# and every node reach. TLS with a server certificate of the lab CA; basic auth (bcrypt htpasswd) for user
# `lab` with a random password made fresh by every `up` ($LAB_STATE/registry/password, mode 0600).
#
# Trust: Docker engines read a registry's CA from /etc/docker/certs.d/<host>:<port>/ca.crt, per pull/push
# (no restart). The nodes and the build engine all share the host's /etc, so one file serves them all. The
# lab records what it created there ($LAB_STATE/registry/created-host-paths) and `down` removes exactly that.
#
# LAB_REGISTRY_HOST and LAB_REGISTRY_CGROUP exist for tests/lab/registry-selftest.sh, which runs the same
# functions without the lab.

LAB_REGISTRY_PORT=${LAB_REGISTRY_PORT:-5000}
LAB_REGISTRY_USER=lab
LAB_REGISTRY_CGROUP=${LAB_REGISTRY_CGROUP:-lab-ctl}
LAB_REGISTRY_TIMEOUT=${LAB_REGISTRY_TIMEOUT:-30}
LAB_REGISTRY_BIN=/usr/bin/docker-registry
LAB_REGISTRY_CERTS_D=/etc/docker/certs.d

registry_host() { echo "${LAB_REGISTRY_HOST:-$LAB_HOST_IP}"; }
registry_addr() { echo "$(registry_host):$LAB_REGISTRY_PORT"; }  # what image references start with
registry_dir() { echo "$LAB_STATE/registry"; }
registry_password_file() { echo "$(registry_dir)/password"; }
registry_trust_file() { echo "$LAB_REGISTRY_CERTS_D/$(registry_addr)/ca.crt"; }
registry_record() { echo "$(registry_dir)/created-host-paths"; }  # host paths made by registry_up, in order

# HTTP status of GET /v2/ without credentials: 401 once the registry serves TLS and asks for auth.
registry_http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$LAB_STATE/pki/ca.crt" \
        "https://$(registry_addr)/v2/" 2>/dev/null || true
}

# Something listening on the registry's port, on its address or on all addresses (the network namespace
# of the caller: the host's for the lab).
registry_port_in_use() {
    local host port=$LAB_REGISTRY_PORT
    host=$(registry_host)
    ss -Hltn "sport = :$port" 2>/dev/null | awk '{ print $4 }' |
        grep -qxF -e "$host:$port" -e "0.0.0.0:$port" -e "*:$port" -e "[::]:$port"
}

# Creates the trust file (and any directory above it that is missing), recording each path before it
# exists, so that an interrupted run still removes it.
registry_trust_up() {
    local file dir missing=() path
    file=$(registry_trust_file)
    dir=$(dirname "$file")
    if [ -e "$file" ] && ! grep -qxF "$file" "$(registry_record)" 2>/dev/null; then
        die "$file exists and the lab did not create it; the lab's registry needs its own CA there. Remove it (if it is left from an earlier lab: rm $file) and run lab.sh up again"
    fi
    path=$dir
    while [ ! -d "$path" ]; do
        missing=("$path" "${missing[@]}")
        path=$(dirname "$path")
    done
    for path in "${missing[@]}"; do
        echo "$path" >>"$(registry_record)"
        mkdir "$path"
    done
    grep -qxF "$file" "$(registry_record)" 2>/dev/null || echo "$file" >>"$(registry_record)"
    install -m 0644 "$LAB_STATE/pki/ca.crt" "$file"
}

registry_up() {
    local dir pki=$LAB_STATE/pki host addr san code
    dir=$(registry_dir)
    host=$(registry_host)
    addr=$(registry_addr)
    [ -x "$LAB_REGISTRY_BIN" ] || die "$LAB_REGISTRY_BIN not found: install Debian's docker-registry package"
    command -v htpasswd >/dev/null || die "htpasswd not found: install Debian's apache2-utils package"
    [[ -f $pki/ca.crt && -f $pki/ca.key ]] || die "the lab CA ($pki/ca.crt, ca.key) is missing; make_pki runs first"
    if [ -e "$dir" ] || recorded_pid registry >/dev/null; then
        log "registry: removing what an earlier run left"
        registry_down | indent >&2
    fi
    if registry_port_in_use; then
        die "port $LAB_REGISTRY_PORT is already in use on $host ($(ss -Hltnp "sport = :$LAB_REGISTRY_PORT" | head -n1)); a docker-registry system service? (systemctl disable --now docker-registry)"
    fi
    mkdir -p "$dir/data" "$LAB_STATE/logs"
    chmod 0700 "$dir"

    # Server certificate of the lab CA, for the address the engines use (and a name, for humans).
    case $host in
        *[!0-9.]*) san="DNS:$host,DNS:registry.lab" ;;
        *) san="IP:$host,DNS:registry.lab" ;;
    esac
    pki_sign registry "/CN=registry.lab" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san"

    # The password: 128 random bits, hex (no quoting issues anywhere). bcrypt cost 5 (htpasswd's default):
    # the registry checks it on every request, and a random password gains nothing from a costlier hash.
    (
        umask 077
        openssl rand -hex 16 >"$(registry_password_file)"
    )
    htpasswd -iBc -C 5 "$dir/htpasswd" "$LAB_REGISTRY_USER" <"$(registry_password_file)" 2>/dev/null ||
        die "htpasswd could not write $dir/htpasswd"
    chmod 0600 "$dir/htpasswd"

    cat >"$dir/config.yml" <<CONFIG
# Generated by tests/lab/lib/registry.sh (lab.sh up); removed by lab.sh down.
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
  secret: $(openssl rand -hex 16)
  headers:
    X-Content-Type-Options: [nosniff]
  tls:
    certificate: $pki/registry.crt
    key: $pki/registry.key
    minimumtls: tls1.2
auth:
  htpasswd:
    realm: dataplane-alluxio-spark-lab
    path: $dir/htpasswd
CONFIG
    chmod 0600 "$dir/config.yml"

    registry_trust_up
    start_daemon registry "$LAB_REGISTRY_CGROUP" "$LAB_STATE/logs/registry.log" -- \
        "$LAB_REGISTRY_BIN" serve "$dir/config.yml"
    local deadline=$((SECONDS + LAB_REGISTRY_TIMEOUT))
    while code=$(registry_http_code) && [ "$code" != 401 ]; do
        recorded_pid registry >/dev/null ||
            die "the registry exited; last lines of $LAB_STATE/logs/registry.log:
$(tail -n 10 "$LAB_STATE/logs/registry.log")"
        [ "$SECONDS" -lt "$deadline" ] ||
            die "the registry did not answer 401 on https://$addr/v2/ within ${LAB_REGISTRY_TIMEOUT}s (last answer: ${code:-none}); last lines of $LAB_STATE/logs/registry.log:
$(tail -n 10 "$LAB_STATE/logs/registry.log")"
        sleep 0.25
    done
    log "registry ready on https://$addr (user $LAB_REGISTRY_USER, password in $(registry_password_file); engines trust $(registry_trust_file))"
}

registry_down() { # prints what it removed
    local dir record path
    dir=$(registry_dir)
    record=$(registry_record)
    stop_recorded registry 10
    if [ -f "$record" ]; then
        # Newest first: the trust file, then the directories made for it (only if nothing else is in them).
        tac "$record" | while read -r path; do
            if [ -f "$path" ]; then
                rm -f "$path"
                echo "registry trust file $path"
            elif [ -d "$path" ] && rmdir "$path" 2>/dev/null; then
                echo "host directory $path"
            fi
        done
    fi
    if [ -e "$dir" ]; then
        rm -rf "$dir"
        echo "registry data $dir"
    fi
    rm -f "$LAB_STATE/pki/registry.crt" "$LAB_STATE/pki/registry.key"
    return 0
}

# For lab_leftovers: host paths the registry made that are still there (its process is in pids/).
registry_leftovers() {
    local path
    [ -f "$(registry_record)" ] || return 0
    while read -r path; do
        if [ -f "$path" ]; then echo "registry trust file $path"; fi
    done <"$(registry_record)"
    return 0
}

# Lines for group_vars/all/lab_connection.yml.
registry_inventory() {
    echo "# The lab's registry (tests/lab/lib/registry.sh): TLS with the lab CA, basic auth. Every engine of"
    echo "# the lab trusts it through $(registry_trust_file)."
    echo "lab_registry: $(registry_addr)"
    echo "lab_registry_username: $LAB_REGISTRY_USER"
    echo "lab_registry_password_file: $(registry_password_file)"
    echo "lab_registry_ca_cert: $LAB_STATE/pki/ca.crt"
}
