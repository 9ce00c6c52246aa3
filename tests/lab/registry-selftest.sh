#!/usr/bin/env bash
# Proves tests/lab/lib/registry.sh on its own, without the lab (root; leaves nothing behind; re-runnable):
# the same registry_up / registry_down the lab runs, against a throwaway CA and a private Docker engine.
#
#   sudo bash tests/lab/registry-selftest.sh                          # registry on 198.51.100.254:5000
#   sudo REGTEST_HOST=127.0.0.1 bash tests/lab/registry-selftest.sh   # the same on loopback
#
# Everything runs in a private network namespace (unshare --net, nothing named, gone when the script
# ends) holding REGTEST_HOST on its loopback, so no port or address of the machine (or of a running lab)
# is used. The default address is not in 127.0.0.0/8 on purpose: Docker treats 127.0.0.0/8 as an insecure
# registry range and skips certificate checks there, so only a non-loopback address proves that the
# engine trusts the registry through /etc/docker/certs.d (on 127.0.0.1 the "no trust file" check is
# expected to succeed, and is reported as such).
#
# Proves: the registry answers 401 without credentials; `docker login` with a wrong password fails and with
# the right one succeeds; without the trust file the engine refuses the certificate; a tiny imported image
# is pushed, removed, pulled back with the same image ID; a pull without credentials is refused; then
# registry_down removes the registry, its data and the trust file.
#
# Only these are touched: /tmp/regtest-state (LAB_STATE), /tmp/regtest-docker (the private engine and the
# docker client's config), /tmp/regtest-image, /tmp/regtest-cleanup.log, cgroup /regtest (v1 memory, cpu,
# cpuacct, pids), /etc/docker/certs.d/<REGTEST_HOST>:5000/ (and certs.d itself if it has to create it).
set -euo pipefail

REGTEST_HOST=${REGTEST_HOST:-198.51.100.254}
REGTEST_STATE=/tmp/regtest-state
REGTEST_DOCKER=/tmp/regtest-docker
REGTEST_IMAGE_DIR=/tmp/regtest-image
REGTEST_CGROUP=regtest
REGTEST_CLEANUP_LOG=/tmp/regtest-cleanup.log   # what cleanup removed; read, then deleted

if [ "$(id -u)" != 0 ]; then
    echo "registry-selftest: needs root (a network namespace, a Docker engine, /etc/docker/certs.d)" >&2
    exit 1
fi
if [ "${REGTEST_IN_NETNS:-}" != 1 ]; then
    REGTEST_IN_NETNS=1 exec unshare --net -- "$BASH" "$0" "$@"
fi

export LAB_STATE=$REGTEST_STATE LAB_REGISTRY_HOST=$REGTEST_HOST LAB_REGISTRY_CGROUP=$REGTEST_CGROUP
# The docker client's config (the credentials docker login stores) stays private too.
export DOCKER_CONFIG=$REGTEST_DOCKER/client
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for part in common pki teardown registry; do
    # shellcheck source=/dev/null
    source "$here/lib/$part.sh"
done

DOCKER=/usr/bin/docker   # Debian's 20.10 client, same version as the engine
dk() { "$DOCKER" -H "unix://$REGTEST_DOCKER/docker.sock" "$@"; }
REF=$(registry_addr)/lab/tiny:1
failures=0
pass() { log "PASS: $*"; }
fail() {
    log "FAIL: $*"
    failures=$((failures + 1))
}
check() { # DESCRIPTION TEST...: pass if TEST succeeds
    local desc=$1
    shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# Stops and removes whatever this script (or an interrupted earlier run) left; prints what it removed.
cleanup() {
    local dir
    [ -d "$REGTEST_STATE" ] && registry_down
    [ -d "$REGTEST_STATE" ] && stop_recorded regtest-dockerd 20
    sweep_cgroup "$REGTEST_CGROUP" 2>&1
    # A stopped daemon stays in the cgroup until its parent (this shell) reaps it: retry for a while.
    local i
    for ((i = 0; i < 40; i++)); do
        for dir in /sys/fs/cgroup/*/"$REGTEST_CGROUP"; do
            if [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; then echo "cgroup $dir"; fi
        done
        compgen -G "/sys/fs/cgroup/*/$REGTEST_CGROUP" >/dev/null || break
        sleep 0.25
    done
    for dir in /sys/fs/cgroup/*/"$REGTEST_CGROUP"; do [ -d "$dir" ] && warn "could not remove cgroup $dir"; done
    # Mounts the engine may have left (none with vfs and no containers, but be sure).
    while read -r dir; do
        if umount -l "$dir"; then echo "mount $dir"; fi
    done < <(grep -oE " $REGTEST_DOCKER/[^ ]*" /proc/self/mountinfo | sort -r || true)
    for dir in "$REGTEST_STATE" "$REGTEST_DOCKER" "$REGTEST_IMAGE_DIR"; do
        if [ -e "$dir" ]; then
            rm -rf "$dir"
            echo "directory $dir"
        fi
    done
    return 0
}

# What must be gone after cleanup; prints one line per leftover.
leftovers() {
    local pid f
    for pid in $(cgroup_pids "$REGTEST_CGROUP"); do echo "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null))"; done
    for f in /sys/fs/cgroup/*/"$REGTEST_CGROUP" "$REGTEST_STATE" "$REGTEST_DOCKER" "$REGTEST_IMAGE_DIR" \
        "$(registry_trust_file)" "$(dirname "$(registry_trust_file)")"; do
        [ -e "$f" ] && echo "$f"
    done
    grep -q " $REGTEST_DOCKER/" /proc/self/mountinfo && echo "mounts under $REGTEST_DOCKER"
    return 0
}

on_exit() {
    local rc=$? removed left
    trap - EXIT
    set +e   # clean up as much as possible, whatever fails
    if [ "$rc" != 0 ] || [ "$failures" != 0 ]; then
        for f in "$REGTEST_STATE/logs/registry.log" "$REGTEST_STATE/logs/dockerd.log"; do
            [ -f "$f" ] && { echo "--- last lines of $f:"; tail -n 15 "$f" | cut -c1-300; } >&2
        done
    fi
    local t=$SECONDS out
    # Not in $(...): this shell is the daemons' parent and must be free to reap them (see cleanup).
    out=$REGTEST_CLEANUP_LOG
    cleanup >"$out" 2>&1
    removed=$(cat "$out")
    rm -f "$out"
    log "teardown took $((SECONDS - t))s; removed:"
    indent <<<"$removed" >&2
    left=$(leftovers)
    if [ -n "$left" ]; then
        log "NOT clean, still present:"
        indent <<<"$left" >&2
        rc=1
    else
        log "clean: nothing left behind"
    fi
    if [ "$rc" = 0 ] && [ "$failures" = 0 ]; then log "registry selftest: all checks passed"; else
        log "registry selftest: FAILED ($failures failed check(s), exit $rc)"
        [ "$rc" != 0 ] || rc=1
    fi
    exit "$rc"
}

# ---------------------------------------------------------------- set-up
out=$REGTEST_CLEANUP_LOG
cleanup >"$out" 2>&1
[ ! -s "$out" ] || { log "removed what an earlier run left:"; indent <"$out" >&2; }
rm -f "$out"
trap on_exit EXIT

ip link set lo up
case $REGTEST_HOST in 127.*) ;; *) ip addr add "$REGTEST_HOST/32" dev lo ;; esac

mkdir -p "$REGTEST_STATE/pki" "$REGTEST_STATE/logs" "$REGTEST_DOCKER"/{data,exec,client}
chmod 0700 "$REGTEST_STATE/pki" "$REGTEST_DOCKER/client"
# A throwaway CA, as make_pki makes the lab's.
pki_key "$REGTEST_STATE/pki/ca.key"
openssl req -x509 -new -key "$REGTEST_STATE/pki/ca.key" -subj "/CN=regtest-throwaway-ca" -days 1 \
    -out "$REGTEST_STATE/pki/ca.crt" 2>/dev/null

# The engine starts BEFORE the registry and its trust file, as the lab's nodes and build engine do: it must
# pick the trust file up without a restart.
t=$SECONDS
echo '{}' >"$REGTEST_DOCKER/daemon.json"
start_daemon regtest-dockerd "$REGTEST_CGROUP" "$REGTEST_STATE/logs/dockerd.log" -- /usr/sbin/dockerd \
    --config-file="$REGTEST_DOCKER/daemon.json" --data-root="$REGTEST_DOCKER/data" \
    --exec-root="$REGTEST_DOCKER/exec" --pidfile="$REGTEST_DOCKER/pid" -H "unix://$REGTEST_DOCKER/docker.sock" \
    --bridge=none --iptables=false --ip-masq=false --storage-driver=vfs
wait_for 60 dk version || die "the private dockerd did not answer in 60s"
log "private dockerd $(dk version -f '{{.Server.Version}}') ready in $((SECONDS - t))s"

# ---------------------------------------------------------------- the registry
t=$SECONDS
registry_up
log "registry_up took $((SECONDS - t))s"
addr=$(registry_addr)
password=$(cat "$(registry_password_file)")

mode=$(stat -c %a "$(registry_password_file)")
check "password file mode $mode (0600)" [ "$mode" = 600 ]
code=$(registry_http_code)
check "GET /v2/ without credentials: $code (401)" [ "$code" = 401 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$LAB_STATE/pki/ca.crt" -K - "https://$addr/v2/" <<<"user = \"lab:$password\"")
check "GET /v2/ as lab with the password: $code (200)" [ "$code" = 200 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$LAB_STATE/pki/ca.crt" -u lab:wrong "https://$addr/v2/")
check "GET /v2/ with a wrong password: $code (401)" [ "$code" = 401 ]
if curl -s -o /dev/null "https://$addr/v2/" 2>/dev/null; then fail "curl without the lab CA accepted the certificate"; else
    pass "curl without the lab CA refuses the certificate"
fi
inventory=$(registry_inventory)
check "inventory lines: $(tr '\n' '|' <<<"$inventory")" grep -qxF "lab_registry: $addr" <<<"$inventory"

# ---------------------------------------------------------------- docker login
t=$SECONDS
if out=$(dk login -u lab --password-stdin "$addr" <<<"not-the-password" 2>&1); then
    fail "docker login with a wrong password succeeded: $out"
else
    pass "docker login with a wrong password fails: $out"
fi
log "wrong-password login took $((SECONDS - t))s"

trust=$(registry_trust_file)
mv "$trust" "$trust.away"
out=$(dk login -u lab --password-stdin "$addr" <<<"$password" 2>&1) && ok=1 || ok=0
mv "$trust.away" "$trust"
case $REGTEST_HOST in
    127.*)
        if [ "$ok" = 1 ]; then
            pass "on $REGTEST_HOST the engine skips certificate checks (Docker's insecure 127.0.0.0/8): login without the trust file succeeded"
        else
            fail "on $REGTEST_HOST a login without the trust file failed, unexpectedly: $out"
        fi
        dk logout "$addr" >/dev/null 2>&1 || true
        ;;
    *)
        if [ "$ok" = 0 ]; then pass "without $trust the engine refuses the certificate: $out"; else
            fail "login succeeded without the trust file: the engine does not check the certificate"
        fi
        ;;
esac

t=$SECONDS
if out=$(dk login -u lab --password-stdin "$addr" <<<"$password" 2>&1); then
    pass "docker login with the password ($((SECONDS - t))s): $(grep -v WARNING <<<"$out" | grep -v '^Configure\|^https\|^$' | tr '\n' ' ')"
else
    fail "docker login with the password failed: $out"
fi

# ---------------------------------------------------------------- push, remove, pull
mkdir -p "$REGTEST_IMAGE_DIR/rootfs/etc"
echo "regtest $(date -u +%FT%TZ)" >"$REGTEST_IMAGE_DIR/rootfs/hello.txt"
echo "lab:x:0:0:lab:/:/bin/false" >"$REGTEST_IMAGE_DIR/rootfs/etc/passwd"
printf '#!/bin/false\n' >"$REGTEST_IMAGE_DIR/rootfs/run.sh"
tar -C "$REGTEST_IMAGE_DIR/rootfs" -cf "$REGTEST_IMAGE_DIR/tiny.tar" .
dk import "$REGTEST_IMAGE_DIR/tiny.tar" "$REF" >/dev/null
id_before=$(dk image inspect -f '{{.Id}}' "$REF")

t=$SECONDS
if out=$(dk push "$REF" 2>&1); then pass "push $REF ($((SECONDS - t))s): $(tail -n1 <<<"$out")"; else fail "push $REF: $out"; fi
catalog=$(curl -s --cacert "$LAB_STATE/pki/ca.crt" -K - "https://$addr/v2/_catalog" <<<"user = \"lab:$password\"")
check "catalog: $catalog" [ "$catalog" = '{"repositories":["lab/tiny"]}' ]

dk rmi "$REF" >/dev/null
if dk image inspect "$REF" >/dev/null 2>&1; then fail "$REF still present after rmi"; else pass "$REF removed locally"; fi
t=$SECONDS
if dk pull -q "$REF" >/dev/null 2>&1; then
    id_after=$(dk image inspect -f '{{.Id}}' "$REF")
    if [ "$id_after" = "$id_before" ]; then pass "pull $REF ($((SECONDS - t))s): same image ID $id_after"; else
        fail "pulled image ID $id_after differs from pushed $id_before"
    fi
else
    fail "pull $REF failed: $(dk pull "$REF" 2>&1 | tail -n1)"
fi

# Without credentials the registry refuses pulls too.
dk rmi "$REF" >/dev/null
dk logout "$addr" >/dev/null
if out=$(dk pull "$REF" 2>&1); then fail "pull without credentials succeeded"; else
    pass "pull without credentials refused: $(tail -n1 <<<"$out")"
fi

[ "$failures" = 0 ] || die "$failures check(s) failed"
