#!/bin/sh
# Copies the spark-operator STAND-IN chart to DEST and adds the REAL SparkApplication CRD from the
# shared research directory as DEST/crds/. The CRD is not committed here: it is kubeflow's file,
# and the stand-in must install exactly the CRD the real chart installs.
#
#   tests/standins/spark-operator/assemble-chart.sh DEST
#
# The CRD's location can be overridden with SPARK_OPERATOR_CRD.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
crd=${SPARK_OPERATOR_CRD:-$repo/../shared/research/anchors/spark-operator/sparkoperator.k8s.io_sparkapplications.yaml}

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 DEST" >&2
    exit 2
fi
dest=$1
if [ ! -f "$crd" ]; then
    echo "assemble-chart: the real SparkApplication CRD is missing: $crd" >&2
    echo "assemble-chart: set SPARK_OPERATOR_CRD to the CRD of spark-operator v2.5.2" >&2
    exit 1
fi
if ! grep -q '^  name: sparkapplications.sparkoperator.k8s.io$' "$crd"; then
    echo "assemble-chart: $crd is not the SparkApplication CRD" >&2
    exit 1
fi
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
    echo "assemble-chart: $dest exists and is not empty" >&2
    exit 1
fi
mkdir -p "$dest/crds"
cp -R "$here/chart/." "$dest/"
cp "$crd" "$dest/crds/"
echo "assembled $dest (chart $(sed -n 's/^version: //p' "$dest/Chart.yaml"), CRD $(basename "$crd"))"
