# -*- coding: utf-8 -*-
"""The spark-operator stand-in on the lab cluster: its chart, assembled with the real SparkApplication
CRD, installs with helm; the controller and the webhook become ready under the real chart's names;
the API server serves the real CRD's schema; and the job namespace gets the Spark service account with
exactly the RBAC the real chart gives it. The role tests and molecule rely on all of that.

Needs the running lab (``make lab-up``): kubeconfig from $LAB_KUBECONFIG (default
<repo>/inventory/lab/kubeconfig), node sockets from the hosts.yml beside it. Everything it makes
(namespaces, the release, the CRD unless it was there before) is removed even when a test fails.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import STANDINS, helm_binary, lab_kubeconfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lab"))
from labkit import wait_until  # noqa: E402

KUBECONFIG = lab_kubeconfig()
INVENTORY = Path(os.environ.get("LAB_INVENTORY", str(KUBECONFIG.parent / "hosts.yml")))
SPARK_OPERATOR_TAG = "2.5.2"  # the stand-in chart's appVersion, its default image tag
CRD = "sparkapplications.sparkoperator.k8s.io"
RUN = uuid.uuid4().hex[:6]  # keeps this run's namespaces apart from any other run's


def run(command, check=True, timeout=120):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s%s" % (" ".join(command), result.returncode, result.stdout, result.stderr))
    return result


def kubectl(*args, check=True, timeout=60):
    return run(["kubectl", "--kubeconfig", str(KUBECONFIG), *args], check=check, timeout=timeout)


def kubectl_json(*args):
    return json.loads(kubectl(*args, "-o", "json").stdout)


def helm(*args, timeout=180):
    return run([helm_binary(), "--kubeconfig", str(KUBECONFIG), *args], timeout=timeout)


def delete_namespaces(*namespaces):
    """Delete and wait until they are gone (polled: kubectl's watch-based wait can hang on the lab)."""
    if not namespaces:
        return
    start_namespace_deletion(*namespaces)

    def gone():
        result = kubectl("get", "namespaces", *namespaces, "--ignore-not-found", "-o", "name", check=False)
        return result.returncode == 0 and not result.stdout.strip()

    try:
        wait_until(gone, 90, interval=0.5, what="namespaces %s to be deleted" % ", ".join(namespaces))
    except AssertionError as error:
        print("cleanup: %s" % error)  # a later run uses new names; report and go on


@pytest.fixture(scope="session")
def lab():
    """The lab answers with every node Ready (it may be restarting: retry for a while); the node names.

    Every node: the image builder imports into each node's Docker, and the controller may land on any.
    """
    if not KUBECONFIG.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("no lab kubeconfig at %s (run make lab-up)" % KUBECONFIG)
        pytest.skip("no lab kubeconfig at %s (run make lab-up, or set LAB_KUBECONFIG)" % KUBECONFIG)

    def ready_nodes():
        result = kubectl("get", "nodes", "-o", "json", check=False)
        if result.returncode != 0:
            return None
        nodes = json.loads(result.stdout)["items"]
        ready = [
            node["metadata"]["name"]
            for node in nodes
            if any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])
        ]
        return ready if nodes and len(ready) == len(nodes) else None

    return wait_until(ready_nodes, int(os.environ.get("LAB_WAIT", "180")), interval=0.5, what="the lab's nodes to be Ready")


@pytest.fixture(scope="session")
def images(lab):
    """The stand-in operator image on every node (the builder skips nodes that already have it)."""
    env = dict(os.environ, LAB_INVENTORY=str(INVENTORY))
    builder = STANDINS / "spark-operator" / "build-image.sh"
    result = subprocess.run(["sh", str(builder), SPARK_OPERATOR_TAG], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def namespaces(lab):
    """Every namespace the tests make; deleted together at the end.

    Fixtures ask for the deletion as soon as they are done (it takes ~10 s per namespace on the
    lab); waiting once for all of them keeps the run short.
    """
    made = []
    try:
        yield made
    finally:
        delete_namespaces(*made)


def create_namespace(made, namespace):
    made.append(namespace)
    kubectl("create", "namespace", namespace)


def start_namespace_deletion(*names):
    for namespace in names:
        kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=false", check=False)


@pytest.fixture(scope="module")
def spark_operator(images, namespaces, tmp_path_factory):
    """The assembled stand-in chart (real CRD) as release spark-operator-<run> with one job namespace.

    The image is named the way the real chart composes it (registry/repository:tag); Docker
    resolves docker.io/library/spark-operator-standin to the imported spark-operator-standin.
    """
    chart = tmp_path_factory.mktemp("spark-operator") / "chart"
    run(["sh", str(STANDINS / "spark-operator" / "assemble-chart.sh"), str(chart)])
    namespace, jobs, release = "standin-spark-operator-" + RUN, "standin-spark-jobs-" + RUN, "spark-operator-" + RUN
    crd_was_there = kubectl("get", "crd", CRD, check=False).returncode == 0
    try:
        create_namespace(namespaces, namespace)
        create_namespace(namespaces, jobs)
        helm(
            "install", release, str(chart), "--namespace", namespace,
            "--set", "image.registry=docker.io", "--set", "image.repository=library/spark-operator-standin",
            "--set", "image.tag=" + SPARK_OPERATOR_TAG, "--set", "spark.jobNamespaces={%s}" % jobs,
            "--wait", "--timeout", "120s",
        )
        yield {"namespace": namespace, "jobs": jobs, "fullname": release}
    finally:
        run([helm_binary(), "--kubeconfig", str(KUBECONFIG), "uninstall", release, "--namespace", namespace, "--wait"], check=False)
        start_namespace_deletion(namespace, jobs)
        if not crd_was_there:  # helm never deletes a chart's crds/; leave one that was there before
            kubectl("delete", "crd", CRD, "--ignore-not-found", check=False)


def test_spark_operator_controller_is_ready(spark_operator):
    name = spark_operator["fullname"] + "-controller"
    deployment = kubectl_json("-n", spark_operator["namespace"], "get", "deployment", name)
    assert deployment["status"].get("readyReplicas") == 1
    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == name
    assert [c["name"] for c in pod["containers"]] == ["spark-operator-controller"]
    webhook = kubectl_json("-n", spark_operator["namespace"], "get", "deployment", spark_operator["fullname"] + "-webhook")
    assert webhook["status"].get("readyReplicas") == 1
    kubectl("-n", spark_operator["namespace"], "get", "service", spark_operator["fullname"] + "-webhook-svc")
    kubectl("get", "clusterrole", name)
    kubectl("get", "clusterrolebinding", name)


def test_sparkapplication_crd_is_established_and_validates(spark_operator):
    conditions = {c["type"]: c["status"] for c in kubectl_json("get", "crd", CRD)["status"]["conditions"]}
    assert conditions["Established"] == "True"
    assert conditions["NamesAccepted"] == "True"
    # The real schema is served: the API server itself (no client-side validation) refuses a
    # SparkApplication without the required fields.
    bad = subprocess.run(
        ["kubectl", "--kubeconfig", str(KUBECONFIG), "-n", spark_operator["jobs"], "create", "--validate=false", "-f", "-"],
        input=json.dumps({"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
                          "metadata": {"name": "incomplete"}, "spec": {"type": "Scala"}}),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert bad.returncode != 0 and "spec.sparkVersion: Required value" in bad.stderr, bad.stderr


def test_job_namespace_has_the_spark_service_account_and_its_rbac(spark_operator):
    jobs, name = spark_operator["jobs"], spark_operator["fullname"] + "-spark"
    kubectl("-n", jobs, "get", "serviceaccount", name)
    role = kubectl_json("-n", jobs, "get", "role", name)
    assert role["rules"] == [{
        "apiGroups": [""],
        "resources": ["pods", "configmaps", "persistentvolumeclaims", "services"],
        "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
    }]
    binding = kubectl_json("-n", jobs, "get", "rolebinding", name)
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": name, "namespace": jobs}]
    account = "system:serviceaccount:%s:%s" % (jobs, name)
    assert kubectl("auth", "can-i", "create", "pods", "-n", jobs, "--as", account, check=False).stdout.strip() == "yes"
    assert kubectl("auth", "can-i", "create", "pods", "-n", "default", "--as", account, check=False).stdout.strip() == "no"
