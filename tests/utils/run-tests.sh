#!/usr/bin/env bash
# Test tiers behind `make test` (all of them) and `make test-<tier>`.
# With CI=true a tier that cannot run is a failure, never a skip (see README "Testing").
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
# The venv's interpreter is made from this python3 (make setup), so the versions agree before it exists.
python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# ansible-test insists on running from inside ansible_collections/<ns>/<name>: test a copy of the
# tracked and new files there (the checkout itself is the collection root, named by no such path).
# The copy lives outside the checkout, or ansible-test would list files with this repo's git.
build=${XDG_CACHE_HOME:-$HOME/.cache}/dataplane-alluxio-spark/build-$(printf '%s' "$root" | sha1sum | cut -c1-10)/ansible_collections/dataplane/alluxio_spark

say() { printf '\n=== %s\n' "$*"; }

# Every step of a tier runs, even after a failure; the tier fails at the end naming the failed steps.
# Each step's wall time goes to $TEST_TIMINGS (set by `all`), so the run ends saying where the time went.
failed_steps=()
step() { # NAME COMMAND...
    local name=$1 start rc=0
    shift
    say "$name"
    start=$(date +%s)
    "$@" || rc=$?
    local seconds=$(($(date +%s) - start))
    [ -n "${TEST_TIMINGS:-}" ] && printf '%6d s  %-8s %s%s\n' "$seconds" "$current_tier" "$name" \
        "$([ $rc -eq 0 ] || echo '  (FAILED)')" >>"$TEST_TIMINGS"
    if [ $rc -ne 0 ]; then
        failed_steps+=("$name (exit $rc)")
    fi
    return 0
}
finish_tier() {
    if [ ${#failed_steps[@]} -gt 0 ]; then
        say "tier $current_tier FAILED: ${#failed_steps[@]} step(s)"
        printf '  - %s\n' "${failed_steps[@]}"
        exit 1
    fi
}

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
    # The modules import kubernetes.core's module_utils and doc fragment: ansible-test finds a
    # dependency only in the same ansible_collections directory, so put a copy beside ours.
    local beside=$build/../../kubernetes
    rm -rf "$beside"
    mkdir -p "$beside"
    cp -a .collections/ansible_collections/kubernetes/core "$beside/core"
}

units_in_build() {
    (cd "$build" && ansible-test units --local --python "$python_version" --color no -v)
}

tier_units() {
    copy_for_ansible_test
    step "unit tests (ansible-test units)" units_in_build
}

sanity_without_skips() {
    local log rc=0
    log=$(mktemp)
    (cd "$build" && ansible-test sanity --local --python "$python_version" --color no) 2>&1 | tee "$log" || rc=$?
    # ansible-test only warns when a test's program is missing; a test that did not run is a failure here
    if grep -q 'WARNING: Required program .* not found' "$log"; then
        echo "a sanity test was skipped for a missing program" >&2
        rc=1
    fi
    rm -f "$log"
    return $rc
}

tier_sanity() {
    need_packages shellcheck  # or ansible-test skips its shellcheck test
    copy_for_ansible_test
    step "ansible-test sanity" sanity_without_skips
}

collection_build_and_ee() {
    local scratch version rc=0
    scratch=$(mktemp -d)
    version=$(sed -n 's/^version: *//p' galaxy.yml)
    # ansible-builder takes additional_build_files relative to the definition: put them side by side
    if ansible-galaxy collection build --force --output-path "$scratch" . &&
        cp execution-environment.yml bindep.txt "$scratch/" &&
        ansible-builder create -f "$scratch/execution-environment.yml" -c "$scratch/context" >/dev/null; then
        if [ ! -f "$scratch/context/_build/collections/dataplane-alluxio_spark-$version.tar.gz" ]; then
            echo "the EE build context lacks the collection tarball dataplane-alluxio_spark-$version.tar.gz" >&2
            rc=1
        fi
    else
        rc=1
    fi
    rm -rf "$scratch"
    return $rc
}

tier_lint() {
    step "repository checks" python -m pytest -q -p no:cacheprovider tests/repo
    step "ruff" ruff check .
    step "ansible-lint (production profile, offline)" ansible-lint --offline
    step "antsibull-changelog lint" antsibull-changelog lint
    step "collection build and execution environment definition" collection_build_and_ee
}

tier_bench() {
    step "benchmark: parsers (make bench-parsers)" python tests/bench/bench_parsers.py
}

tier_lab() {
    need_packages busybox-static  # the operator's stand-in image is a busybox rootfs tree
    need_packages debootstrap maven unzip  # the real Alluxio image (tests/images/alluxio/build.sh)
    step "lab cluster: up" bash tests/lab/lab.sh up
    if [ ${#failed_steps[@]} -gt 0 ]; then
        finish_tier  # no cluster: nothing below can run
    fi
    # One pytest run each: a run's fixtures clean up only when it ends, and each suite expects a clean
    # cluster. A failing suite does not stop the others: every failure is listed at the end.
    local suite scenario
    step "lab cluster: tests/integration/lab" python -m pytest -v -p no:cacheprovider --durations=8 tests/integration/lab
    # The real Alluxio image: Maven Central's jars on a Debian root with Java 17, cached by its inputs. After
    # the lab's own tests, which restart the lab (and so empty the nodes' engines).
    step "lab cluster: real Alluxio image, built and loaded into every node" bash tests/images/alluxio/load-into-lab.sh
    for suite in alluxio standins modules spark_image roles; do
        step "lab cluster: tests/integration/$suite" python -m pytest -v -p no:cacheprovider --durations=8 "tests/integration/$suite"
    done
    for scenario in alluxio spark_operator spark_image; do
        step "molecule test -s $scenario" env MOLECULE_PROJECT_DIRECTORY="$root" molecule test -s "$scenario"
    done
}

run() {
    current_tier=$1
    "tier_$1"
    finish_tier
}

case "${1:-all}" in
    all)
        export TEST_TIMINGS
        TEST_TIMINGS=$(mktemp)
        run_start=$(date +%s)
        failed=()
        # make setup is timed here too: on a fresh machine it is part of where the time goes.
        bash tests/utils/setup.sh || { say "make setup FAILED"; exit 1; }
        printf '%6d s  %-8s %s\n' "$(($(date +%s) - run_start))" setup "make setup" >>"$TEST_TIMINGS"
        for tier in lint units sanity bench lab; do
            # A separate process per tier: `set -e` does not apply inside a function called before `||`.
            bash "$0" "$tier" || failed+=("$tier")
        done
        if [ -f tests/lab/lab.sh ] && [ "${KEEP_LAB:-}" != "1" ]; then
            bash tests/lab/lab.sh down || failed+=("lab-down")
        fi
        say "where the time went ($(($(date +%s) - run_start)) s in all)"
        cat "$TEST_TIMINGS"
        rm -f "$TEST_TIMINGS"
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
