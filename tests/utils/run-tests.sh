#!/usr/bin/env bash
# Test tiers behind `make test` (all of them) and `make test-<tier>`.
# With CI=true a tier that cannot run is a failure, never a skip (see README "Testing").
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
python_version=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# ansible-test insists on running from inside ansible_collections/<ns>/<name>: test a copy of the
# tracked and new files there (the checkout itself is the collection root, named by no such path).
# The copy lives outside the checkout, or ansible-test would list files with this repo's git.
build=${XDG_CACHE_HOME:-$HOME/.cache}/dataplane-alluxio-spark/build-$(printf '%s' "$root" | sha1sum | cut -c1-10)/ansible_collections/dataplane/alluxio_spark

say() { printf '\n=== %s\n' "$*"; }

# Debian packages a tier needs; installed when missing (apt lists refreshed once).
apt_updated=
need_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -z "$apt_updated" ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

copy_for_ansible_test() {
    rm -rf "$build"
    mkdir -p "$build"
    git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$build"
}

tier_units() {
    say "unit tests (ansible-test units)"
    copy_for_ansible_test
    (cd "$build" && ansible-test units --local --python "$python_version" --color no -v)
}

tier_sanity() {
    say "ansible-test sanity"
    need_packages shellcheck  # or ansible-test skips its shellcheck test
    copy_for_ansible_test
    local log
    log=$(mktemp)
    (cd "$build" && ansible-test sanity --local --python "$python_version" --color no) 2>&1 | tee "$log"
    # ansible-test only warns when a test's program is missing; a test that did not run is a failure here
    if grep -q 'WARNING: Required program .* not found' "$log"; then
        echo "a sanity test was skipped for a missing program" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

tier_lint() {
    say "repository checks"
    python -m pytest -q -p no:cacheprovider tests/repo
    say "ruff"
    ruff check .
    say "ansible-lint (production profile, offline)"
    ansible-lint --offline
    say "antsibull-changelog lint"
    antsibull-changelog lint
    say "collection build and execution environment definition"
    local scratch version
    scratch=$(mktemp -d)
    version=$(sed -n 's/^version: *//p' galaxy.yml)
    ansible-galaxy collection build --force --output-path "$scratch" .
    # ansible-builder takes additional_build_files relative to the definition: put them side by side
    cp execution-environment.yml bindep.txt "$scratch/"
    ansible-builder create -f "$scratch/execution-environment.yml" -c "$scratch/context" >/dev/null
    test -f "$scratch/context/_build/collections/dataplane-alluxio_spark-$version.tar.gz"
    rm -rf "$scratch"
}

tier_bench() {
    say "benchmark (make bench)"
    python tests/bench/bench_parsers.py
}

tier_lab() {
    say "lab cluster: up"
    need_packages busybox-static  # the stand-in images are busybox rootfs trees
    bash tests/lab/lab.sh up
    # One pytest run each: a run's fixtures clean up only when it ends, and each suite expects a clean cluster.
    local suite
    for suite in lab standins roles; do
        say "lab cluster: tests/integration/$suite"
        python -m pytest -v -p no:cacheprovider "tests/integration/$suite"
    done
    say "molecule scenarios on the lab"
    local scenario
    for scenario in alluxio spark_operator; do
        MOLECULE_PROJECT_DIRECTORY=$root molecule test -s "$scenario"
    done
}

run() {
    local tier=$1
    "tier_$tier"
}

case "${1:-all}" in
    all)
        failed=()
        for tier in lint units sanity bench lab; do
            # A separate process per tier: `set -e` does not apply inside a function called before `||`.
            bash "$0" "$tier" || failed+=("$tier")
        done
        if [ -f tests/lab/lab.sh ] && [ "${KEEP_LAB:-}" != "1" ]; then
            bash tests/lab/lab.sh down || failed+=("lab-down")
        fi
        if [ ${#failed[@]} -gt 0 ]; then
            say "FAILED tiers: ${failed[*]}"
            exit 1
        fi
        say "all tiers passed"
        ;;
    units | sanity | lint | bench | lab) run "$1" ;;
    *)
        echo "usage: $0 [all|units|sanity|lint|bench|lab]" >&2
        exit 2
        ;;
esac
