"""The real SparkApplication CRD (sparkoperator.k8s.io/v1beta2) on the lab's API server."""

from __future__ import annotations

import json
import uuid

import pytest
from labkit import REPO, kubectl, kubectl_json, wait_until

# The real CRD, read from the research beside the checkout (kubeflow's file is not copied into this repo).
CRD_FILE = REPO.parent / "shared" / "research" / "anchors" / "spark-operator" / "sparkoperator.k8s.io_sparkapplications.yaml"
CRD_NAME = "sparkapplications.sparkoperator.k8s.io"


def _spark_app(name: str, **spec_overrides) -> str:
    spec = {
        "type": "Scala",
        "mode": "cluster",
        "image": "lab/spark:3.5.0",
        "imagePullPolicy": "Never",
        "mainClass": "org.apache.spark.examples.SparkPi",
        "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
        "sparkVersion": "3.5.0",
        "restartPolicy": {"type": "Never"},
        "driver": {"cores": 1, "memory": "512m", "serviceAccount": "spark"},
        "executor": {"instances": 2, "cores": 1, "memory": "512m"},
    }
    spec.update(spec_overrides)
    return json.dumps({"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
                       "metadata": {"name": name}, "spec": spec})


@pytest.fixture(scope="module")
def spark_crd(lab):
    # `create`, not client-side `apply`: the CRD (~800 kB) is larger than the last-applied annotation allows.
    assert CRD_FILE.is_file(), f"{CRD_FILE} is missing: clone the project beside ../shared"
    existing = kubectl("get", "crd", CRD_NAME, check=False)
    if existing.returncode != 0:
        kubectl("create", "-f", str(CRD_FILE), timeout=180)

    # Polled rather than `kubectl wait`: v1.20's wait errors out while .status.conditions is still empty.
    def established():
        conditions = kubectl_json("get", "crd", CRD_NAME).get("status", {}).get("conditions") or []
        return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)

    wait_until(established, 60, 0.5, f"CRD {CRD_NAME} Established")
    yield CRD_NAME
    kubectl("delete", "crd", CRD_NAME, "--timeout=120s", check=False, timeout=150)


def test_crd_is_accepted_and_served(spark_crd):
    crd = kubectl_json("get", "crd", spark_crd)
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions["Established"] == "True"
    assert conditions["NamesAccepted"] == "True"
    # sparkoperator.k8s.io is a protected *.k8s.io group; the real CRD carries the approval annotation, so
    # the API server does not flag it (the condition would be False without it).
    assert crd["metadata"]["annotations"]["api-approved.kubernetes.io"].startswith("https://")
    assert conditions.get("KubernetesAPIApprovalPolicyConformant") != "False"
    assert [v["name"] for v in crd["spec"]["versions"] if v["served"]] == ["v1beta2"]
    resources = kubectl("api-resources", "--api-group=sparkoperator.k8s.io", "-o", "name").stdout.split()
    assert resources == ["sparkapplications.sparkoperator.k8s.io"]


def test_spark_application_is_created_and_read_back(spark_crd, namespace):
    name = f"pi-{uuid.uuid4().hex[:6]}"
    created = kubectl("create", "-n", namespace, "-f", "-", input=_spark_app(name))
    assert f"sparkapplication.sparkoperator.k8s.io/{name} created" in created.stdout

    app = kubectl_json("get", "sparkapplication", name, "-n", namespace)
    spec = app["spec"]
    assert app["apiVersion"] == "sparkoperator.k8s.io/v1beta2"
    assert spec["type"] == "Scala" and spec["mode"] == "cluster" and spec["sparkVersion"] == "3.5.0"
    assert spec["mainClass"] == "org.apache.spark.examples.SparkPi"
    assert spec["driver"] == {"cores": 1, "memory": "512m", "serviceAccount": "spark"}
    assert spec["executor"] == {"instances": 2, "cores": 1, "memory": "512m"}
    # The short name from the CRD works too.
    assert kubectl("get", "sparkapp", "-n", namespace, "-o", "name").stdout.strip() == \
        f"sparkapplication.sparkoperator.k8s.io/{name}"

    # Zero values are values, not null (patch 3 of tests/lab/build/patch-kubernetes.sh, kubernetes#99804).
    zeros = f"{name}-zeros"
    kubectl("create", "-n", namespace, "-f", "-", input=_spark_app(
        zeros, arguments=[""], restartPolicy={"type": "OnFailure", "onFailureRetries": 0},
        driver={"cores": 1, "memory": "512m", "hostNetwork": False, "labels": {"empty": ""}}))
    driver = kubectl_json("get", "sparkapplication", zeros, "-n", namespace)["spec"]["driver"]
    assert driver["hostNetwork"] is False and driver["labels"] == {"empty": ""}

    kubectl("delete", "sparkapplication", name, zeros, "-n", namespace)


@pytest.mark.parametrize(
    "override, message",
    [
        ({"type": "Rust"}, 'spec.type: Unsupported value: "Rust": supported values: "Java", "Python", "Scala", "R"'),
        ({"mode": "local"}, 'spec.mode: Unsupported value: "local": supported values: "cluster", "client"'),
        ({"sparkVersion": None}, "spec.sparkVersion: Required value"),
        ({"executor": {"instances": "two"}}, 'spec.executor.instances: Invalid value: "string": '
                                             'spec.executor.instances in body must be of type integer: "string"'),
    ],
    ids=["bad-type-enum", "bad-mode-enum", "missing-sparkVersion", "instances-not-integer"],
)
def test_invalid_spark_application_is_rejected(spark_crd, namespace, override, message):
    name = f"bad-{uuid.uuid4().hex[:6]}"
    manifest = json.loads(_spark_app(name, **override))
    manifest["spec"] = {k: v for k, v in manifest["spec"].items() if v is not None}
    # --validate=false: the API server itself must reject it (kubectl would catch some cases client-side).
    result = kubectl("create", "--validate=false", "-n", namespace, "-f", "-", input=json.dumps(manifest),
                     check=False)
    assert result.returncode != 0
    assert f'The SparkApplication "{name}" is invalid' in result.stderr
    assert message in result.stderr, result.stderr
    assert kubectl("get", "sparkapplication", name, "-n", namespace, check=False).returncode != 0
