#!/usr/bin/env bash
# The three source patches the lab needs on the upstream v1.20.2 tree from Debian's kubernetes source package.
# Usage: patch-kubernetes.sh SOURCE_TREE
# The sha256 of this file is part of the build cache key: change it and every cache is rebuilt.
set -euo pipefail

tree=${1:?usage: patch-kubernetes.sh SOURCE_TREE}
cd "$tree"

# 1. Go >= 1.18 breaks the vendored github.com/modern-go/reflect2 v1.0.1: the API server dies with SIGSEGV on
#    the first custom object it stores. Debian's golang-github-modern-go-reflect2-dev ships 1.0.2, which
#    fixes it with the same API; its sources replace the vendored files (LICENSE kept; go.mod/go.sum are not
#    vendored files).
vendored=vendor/github.com/modern-go/reflect2
debian_src=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$vendored" ] || { echo "patch 1: $vendored not found in the source tree" >&2; exit 1; }
[ -d "$debian_src" ] || { echo "patch 1: $debian_src missing: install golang-github-modern-go-reflect2-dev" >&2; exit 1; }
find "$vendored" -maxdepth 1 -type f ! -name LICENSE -delete
for f in "$debian_src"/*; do
    case ${f##*/} in
        go.mod | go.sum) ;;
        *) [ -f "$f" ] && cp "$f" "$vendored/" ;;
    esac
done
[ -f "$vendored/go_above_118.go" ] ||
    { echo "patch 1: reflect2 sources did not land in $vendored" >&2; exit 1; }

# 2. Some sandboxes (this CI machine included) forbid a negative oom_score_adj; runc then fails every pod
#    sandbox with "can't get final child's PID from pipe". Kubelet asks for -998 on sandboxes and -997 on
#    Guaranteed pods; 0 is harmless in a throwaway lab.
replace() { # FILE OLD NEW: a sed that must change the file, so an upstream change cannot slip through silently
    local file=$1 old=$2 new=$3
    grep -qF "$old" "$file" || { echo "patch 2: '$old' not found in $file" >&2; exit 1; }
    sed -i "s/$old/$new/" "$file"
}
replace pkg/kubelet/dockershim/docker_sandbox.go 'defaultSandboxOOMAdj int = -998' 'defaultSandboxOOMAdj int = 0'
replace pkg/kubelet/qos/policy.go 'guaranteedOOMScoreAdj int = -997' 'guaranteedOOMScoreAdj int = 0'

# 3. Go >= 1.16 broke the vendored OpenAPI type validator (kubernetes/kubernetes#99804): it compares
#    reflect.Value structs, and since reflect.Zero shares one zero buffer, "" / 0 / false now count as null.
#    The API server then rejects any CRD with `default: ""` (the real SparkApplication CRD has 47 of them)
#    and any custom object holding an empty string. Upstream fix (kube-openapi#230): only nil is null.
zero_check='if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {'
for file in vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go vendor/github.com/go-openapi/validate/type.go; do
    grep -qF "$zero_check" "$file" || { echo "patch 3: zero-value check not found in $file" >&2; exit 1; }
    sed -i "s/if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {/if data == nil {/" "$file"
    grep -qF "$zero_check" "$file" && { echo "patch 3: $file unchanged" >&2; exit 1; }
done

echo "patched: reflect2 -> $(dpkg-query -W -f '${Version}' golang-github-modern-go-reflect2-dev), oom_score_adj -> 0, OpenAPI null check -> nil only"
