# shellcheck shell=bash
# The controller's Docker engine: where the spark_image role builds and saves the Spark image, as a user's
# controller with Docker would. It runs on the host (the controller of the lab's inventory), in cgroup
# /lab-ctl with its containers under /lab-ctl/build, with its own data root and socket: it never touches a
# Docker engine the machine may have, and `down` removes it with everything else.

build_engine_dir() { echo "$LAB_STATE/build-docker"; }
build_engine_sock() { echo "$(build_engine_dir)/run/docker.sock"; }

build_engine_up() {
    local dir sock
    dir=$(build_engine_dir)
    sock=$(build_engine_sock)
    mkdir -p "$dir/data" "$dir/exec" "$dir/run"
    echo '{}' >"$dir/daemon.json"
    # No bridge and no iptables: builds need no network (nothing can be pulled here), and the host's
    # firewall stays as it was. Run steps use --network none (spark_image_build_network in group_vars).
    start_daemon build-dockerd lab-ctl "$LAB_STATE/logs/build-dockerd.log" -- /usr/sbin/dockerd \
        --config-file="$dir/daemon.json" --data-root="$dir/data" --exec-root="$dir/exec" \
        --pidfile="$dir/run/docker.pid" -H "unix://$sock" \
        --storage-driver=overlay2 --iptables=false --ip-masq=false --bridge=none \
        --cgroup-parent=/lab-ctl/build
    wait_for 60 "$DOCKER" -H "unix://$sock" version ||
        die "the build engine did not answer on $sock in 60s: $(tail -n 5 "$LAB_STATE/logs/build-dockerd.log")"
    log "build engine ready on $sock"
}

build_engine_down() { # prints what it removed
    if recorded_pid build-dockerd >/dev/null; then remove_engine_containers "$(build_engine_sock)" "the build engine"; fi
    stop_recorded build-dockerd 20
}
