#!/usr/bin/env bash
# Usage: exec-in-cgroup.sh GROUP CMD...
# Joins cgroup /GROUP of each lab controller, then execs CMD (same pid), so the daemon and everything it
# starts can be found, measured and stopped through the cgroup.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
group=$1
shift
for controller in "${LAB_CGROUP_CONTROLLERS[@]}"; do
    mkdir -p "/sys/fs/cgroup/$controller/$group"
    echo $$ >"/sys/fs/cgroup/$controller/$group/cgroup.procs"
done
exec "$@"
