#!/usr/bin/env bash
# Create .venv with Ansible, the Python libraries, helm and the collections this one depends on,
# then link this checkout into .collections so `dataplane.alluxio_spark.*` resolves to the working tree.
# Idempotent: a second run only checks.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=.venv
collections=.collections/ansible_collections
# The `ansible` package on PyPI bundles the collections; used only when Galaxy cannot be reached.
bundle_version=${ALLUXIO_SPARK_ANSIBLE_BUNDLE:-12.3.0}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/dataplane-alluxio-spark

quiet_pip() {
    # pip's config (/etc/pip.conf) must stay in force: it carries the registry CA bundle here.
    "$venv/bin/pip" --disable-pip-version-check -q "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
stamp=$venv/.requirements.sha256
want=$(cat requirements.txt requirements-dev.txt tests/unit/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    quiet_pip install -r requirements-dev.txt -r tests/unit/requirements.txt
    echo "$want" >"$stamp"
fi

have_collection() { [ -f "$collections/$1/MANIFEST.json" ] || [ -f "$collections/$1/galaxy.yml" ]; }
# community.docker needs community.library_inventory_filtering_v1 (its inventory plugins import it).
needed=(kubernetes/core community/docker community/library_inventory_filtering_v1)
missing=()
for c in "${needed[@]}"; do have_collection "$c" || missing+=("$c"); done
if [ ${#missing[@]} -gt 0 ]; then
    mkdir -p "$collections"
    if timeout 120 "$venv/bin/ansible-galaxy" collection install -r requirements.yml -p .collections >/tmp/galaxy.$$ 2>&1; then
        echo "collections installed from Galaxy"
    else
        echo "Galaxy not reachable ($(grep -v "^ *$" /tmp/galaxy.$$ | tail -n1)); unpacking the collections from ansible==$bundle_version"
        mkdir -p "$cache"
        find_wheel() { find "$cache" -maxdepth 1 -name "ansible-$bundle_version-*.whl" | head -n1; }
        wheel=$(find_wheel)
        if [ -z "$wheel" ]; then
            quiet_pip download --no-deps "ansible==$bundle_version" -d "$cache"
            wheel=$(find_wheel)
        fi
        patterns=()
        for c in "${missing[@]}"; do patterns+=("ansible_collections/$c/*"); done
        "$venv/bin/python" - "$wheel" .collections "${patterns[@]}" <<'PY'
import fnmatch, sys, zipfile
wheel, dest, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as archive:
    names = [n for n in archive.namelist() if any(fnmatch.fnmatch(n, p) for p in patterns)]
    archive.extractall(dest, names)
print("unpacked %d files" % len(names))
PY
    fi
    rm -f /tmp/galaxy.$$
fi

# The checkout itself, as the collection dataplane.alluxio_spark (relative link: survives a moved clone).
mkdir -p "$collections/dataplane"
ln -sfn ../../.. "$collections/dataplane/alluxio_spark"

# ansible-test downloads get-pip from the internet; this stand-in uses the interpreter's own pip.
mkdir -p "$HOME/.ansible/test/cache"
pip_version=$(grep -ohE "pip='[0-9.]+'" "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n1 | tr -dc '0-9.')
if [ -n "$pip_version" ]; then
    cp tests/utils/get_pip_offline.py "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
fi

"$venv/bin/ansible-galaxy" collection list 2>/dev/null | grep -E "^(dataplane|kubernetes|community|ansible)\\."  || true
echo "setup done: $("$venv/bin/ansible" --version | head -n1), $("$venv/bin/helm" version --short)"
