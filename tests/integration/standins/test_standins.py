# -*- coding: utf-8 -*-
"""The stand-ins on the lab cluster: both charts install with helm, and what the Alluxio stand-in
prints parses with the collection's own parsers to the values the set-up implies (two labelled
nodes with a 1Gi MEM tier each), and to what each fault implies.

Needs the running lab (``make lab-up``): kubeconfig from $LAB_KUBECONFIG (default
<repo>/inventory/lab/kubeconfig), node sockets from the hosts.yml beside it. Labels lab-n1 and
lab-n3 ``alluxio=true`` for the run and restores them; everything it makes (namespaces, releases,
state directories, the CRD unless it was there before) is removed even when a test fails.
"""

import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from conftest import STANDINS, helm_binary, lab_kubeconfig

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics

KUBECONFIG = lab_kubeconfig()
INVENTORY = Path(os.environ.get("LAB_INVENTORY", str(KUBECONFIG.parent / "hosts.yml")))
ALLUXIO_TAG = os.environ.get("ALLUXIO_STANDIN_TAG", "2.9.5")
SPARK_OPERATOR_TAG = "2.5.2"  # the stand-in chart's appVersion, its default image tag
STATE_ROOT = Path("/var/lib/alluxio-standin")  # the stand-in chart's standin.stateHostPath
WORKER_NODES = ("lab-n1", "lab-n3")
WORKER_LABEL = "alluxio"
ONE_GIB = 1073741824
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


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(0.5)


def pod_readiness(namespace):
    """{pod name: Ready condition} of the namespace's pods."""
    pods = kubectl_json("-n", namespace, "get", "pods")["items"]
    return {
        pod["metadata"]["name"]: any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))
        for pod in pods
    }


def delete_namespaces(*namespaces):
    """Delete and wait until they are gone (polled: kubectl's watch-based wait can hang on the lab)."""
    if not namespaces:
        return
    start_namespace_deletion(*namespaces)

    def gone():
        result = kubectl("get", "namespaces", *namespaces, "--ignore-not-found", "-o", "name", check=False)
        return result.returncode == 0 and not result.stdout.strip()

    try:
        wait_until(gone, 90, "namespaces %s to be deleted" % ", ".join(namespaces))
    except AssertionError as error:
        print("cleanup: %s" % error)  # a later run uses new names; report and go on


@pytest.fixture(scope="session")
def lab():
    """The lab answers (it may be restarting: retry for a while), with its nodes' InternalIPs."""
    if not KUBECONFIG.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("no lab kubeconfig at %s (run make lab-up)" % KUBECONFIG)
        pytest.skip("no lab kubeconfig at %s (run make lab-up, or set LAB_KUBECONFIG)" % KUBECONFIG)

    def ready_nodes():
        result = kubectl("get", "nodes", "-o", "json", check=False)
        if result.returncode != 0:
            return None
        nodes = json.loads(result.stdout)["items"]
        ready = {
            node["metadata"]["name"]: next(a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP")
            for node in nodes
            if any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])
        }
        return ready if all(name in ready for name in WORKER_NODES) else None

    return wait_until(ready_nodes, int(os.environ.get("LAB_WAIT", "180")), "the lab's nodes to be Ready")


@pytest.fixture(scope="session")
def images(lab):
    """Both stand-in images on every node (the builders skip nodes that already have them)."""
    env = dict(os.environ, LAB_INVENTORY=str(INVENTORY))
    for builder, tag in (("alluxio/build-image.sh", ALLUXIO_TAG), ("spark-operator/build-image.sh", SPARK_OPERATOR_TAG)):
        result = subprocess.run(["sh", str(STANDINS / builder), tag], capture_output=True, text=True, env=env, timeout=300, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def worker_nodes(lab):
    """lab-n1 and lab-n3 labelled alluxio=true for the session; their earlier labels come back after."""
    before = {name: kubectl_json("get", "node", name)["metadata"].get("labels", {}).get(WORKER_LABEL) for name in WORKER_NODES}
    try:
        kubectl("label", "node", *WORKER_NODES, WORKER_LABEL + "=true", "--overwrite")
        yield {name: lab[name] for name in WORKER_NODES}
    finally:
        for name, value in before.items():
            label = WORKER_LABEL + "-" if value is None else "%s=%s" % (WORKER_LABEL, value)
            kubectl("label", "node", name, label, "--overwrite", check=False)


@pytest.fixture(scope="session")
def namespaces(lab):
    """Every namespace the tests make; deleted together at the end, then their state directories.

    Fixtures ask for the deletion as soon as they are done (it takes ~10 s per namespace on the
    lab); waiting once for all of them keeps the run short.
    """
    made = []
    try:
        yield made
    finally:
        delete_namespaces(*made)
        for namespace in made:
            # The pods wrote as root into the host directory; nobody else cleans it.
            shutil.rmtree(STATE_ROOT / namespace, ignore_errors=True)


def create_namespace(made, namespace):
    made.append(namespace)
    kubectl("create", "namespace", namespace)


def start_namespace_deletion(*names):
    for namespace in names:
        kubectl("delete", "namespace", namespace, "--ignore-not-found", "--wait=false", check=False)


class Alluxio:
    """One installed release of the Alluxio stand-in chart, in its own namespace."""

    def __init__(self, namespace):
        self.namespace = namespace
        self.state = STATE_ROOT / namespace

    def cli(self, *args, check=True):
        return kubectl("-n", self.namespace, "exec", "alluxio-master-0", "-c", "alluxio-master", "--", "alluxio", *args, check=check)

    def capacity(self):
        return parse_capacity(self.cli("fsadmin", "report", "capacity").stdout)

    def set_fault(self, name, content=""):
        # Written from the host: the chart mounts <stateHostPath>/<namespace> in every pod.
        (self.state / "faults").mkdir(parents=True, exist_ok=True)
        (self.state / "faults" / name).write_text(content)

    def clear_faults(self):
        shutil.rmtree(self.state / "faults", ignore_errors=True)
        (self.state / "faults").mkdir(parents=True, exist_ok=True)
        if (self.state / "metrics").exists():
            (self.state / "metrics").unlink()


def install_alluxio(made, namespace, *values):
    create_namespace(made, namespace)
    helm(
        "install", "alluxio", str(STANDINS / "alluxio" / "chart"), "--namespace", namespace,
        "--set", "imageTag=" + ALLUXIO_TAG, "--set-string", "worker.nodeSelector.%s=true" % WORKER_LABEL,
        *values, "--wait", "--timeout", "120s",
    )
    # helm's --wait counts a DaemonSet ready with maxUnavailable (1) pods still unready: wait for all.
    expected = 1 + len(WORKER_NODES)

    def all_ready():
        readiness = pod_readiness(namespace)
        return len(readiness) == expected and all(readiness.values())

    wait_until(all_ready, 120, "the master and %d workers in %s to be Ready" % (len(WORKER_NODES), namespace))
    return Alluxio(namespace)


def uninstall_alluxio(namespace):
    run([helm_binary(), "--kubeconfig", str(KUBECONFIG), "uninstall", "alluxio", "--namespace", namespace, "--wait"], check=False)
    start_namespace_deletion(namespace)  # also takes the hook ConfigMap that helm leaves


@pytest.fixture(scope="module")
def alluxio(images, worker_nodes, namespaces):
    """The stand-in chart with short-circuit off, the role's default (a 1Gi MEM tier per worker)."""
    namespace = "standin-alluxio-" + RUN
    try:
        yield install_alluxio(namespaces, namespace, "--set", "shortCircuit.enabled=false")
    finally:
        uninstall_alluxio(namespace)


@pytest.fixture(scope="module")
def alluxio_domain_socket(images, worker_nodes, namespaces):
    """The stand-in chart with short-circuit on through a hostPath domain socket, as the role sets it."""
    namespace = "standin-alluxio-sc-" + RUN
    try:
        yield install_alluxio(
            namespaces, namespace, "--set", "shortCircuit.enabled=true", "--set", "shortCircuit.policy=uuid",
            "--set", "shortCircuit.volumeType=hostPath", "--set", "shortCircuit.hostPath=/tmp/alluxio-domain",
        )
    finally:
        uninstall_alluxio(namespace)


@pytest.fixture
def faults(alluxio):
    alluxio.clear_faults()
    try:
        yield alluxio
    finally:
        alluxio.clear_faults()


def worker_pods(namespace):
    return kubectl_json("-n", namespace, "get", "pods", "-l", "role=alluxio-worker")["items"]


# --- Alluxio stand-in -------------------------------------------------------------------------


def test_workers_run_on_the_labelled_nodes_only(alluxio, worker_nodes):
    pods = worker_pods(alluxio.namespace)
    assert sorted(pod["spec"]["nodeName"] for pod in pods) == sorted(worker_nodes)
    assert sorted(pod["status"]["hostIP"] for pod in pods) == sorted(worker_nodes.values())
    assert all(pod_readiness(alluxio.namespace).values())


def test_capacity_lists_both_nodes_with_1gi(faults, worker_nodes):
    text = faults.cli("fsadmin", "report", "capacity").stdout
    assert text.startswith("Capacity information for all workers: \n    Total Capacity: 2048.00MB\n")
    parsed = parse_capacity(text)
    assert sorted(w["name"] for w in parsed["workers"]) == sorted(worker_nodes.values())
    assert [w["capacity_bytes"] for w in parsed["workers"]] == [{"MEM": ONE_GIB}, {"MEM": ONE_GIB}]
    assert [w["used_bytes"] for w in parsed["workers"]] == [{"MEM": 0}, {"MEM": 0}]
    assert (parsed["total_bytes"], parsed["used_bytes"], parsed["worker_count"]) == (2 * ONE_GIB, 0, 2)
    assert parsed["tiers"] == {"MEM": {"total_bytes": 2 * ONE_GIB, "used_bytes": 0}}
    assert (parsed["used_percentage"], parsed["free_percentage"]) == (0, 100)
    assert all(0 <= w["last_heartbeat"] < 30 for w in parsed["workers"])


def test_fault_missing_worker(faults, worker_nodes):
    faults.set_fault("missing_worker", worker_nodes["lab-n3"] + "\n")
    parsed = faults.capacity()
    assert [w["name"] for w in parsed["workers"]] == [worker_nodes["lab-n1"]]
    assert parsed["total_bytes"] == ONE_GIB


def test_fault_extra_worker(faults, worker_nodes):
    faults.set_fault("extra_worker", "10.200.0.99\n")
    parsed = faults.capacity()
    workers = {w["name"]: w["capacity_bytes"] for w in parsed["workers"]}
    assert workers == {**{ip: {"MEM": ONE_GIB} for ip in worker_nodes.values()}, "10.200.0.99": {"MEM": ONE_GIB}}
    assert parsed["total_bytes"] == 3 * ONE_GIB


def test_fault_zero_capacity(faults, worker_nodes):
    faults.set_fault("zero_capacity")
    parsed = faults.capacity()
    assert sorted(w["name"] for w in parsed["workers"]) == sorted(worker_nodes.values())
    assert [w["capacity_bytes"] for w in parsed["workers"]] == [{"MEM": 0}, {"MEM": 0}]
    assert [w["used_percentage"] for w in parsed["workers"]] == [None, None]  # no "(0%)" at 0 capacity
    assert (parsed["total_bytes"], parsed["used_percentage"], parsed["free_percentage"]) == (0, None, None)


def test_fault_never_ready_turns_every_pod_not_ready_and_back(faults):
    namespace = faults.namespace
    faults.set_fault("never_ready")
    try:
        wait_until(lambda: not any(pod_readiness(namespace).values()), 30, "every pod to become not ready")
        assert set(pod_readiness(namespace)) >= {"alluxio-master-0"}
    finally:
        faults.clear_faults()
    wait_until(lambda: all(pod_readiness(namespace).values()), 60, "every pod to become ready again")


def test_metrics_from_the_state_file(faults):
    # Sizes that print exactly (3072.00KB, 5120B, 16.00MB), so the parsed bytes are the written ones.
    (faults.state / "metrics").write_text(
        "Cluster.BytesReadRemote COUNTER 3145728\nCluster.BytesReadDomain COUNTER 5120\n"
        "Cluster.BytesReadUfsAll COUNTER 16777216\nCluster.BytesReadRemoteThroughput GAUGE 1048576\n"
    )
    try:
        text = faults.cli("fsadmin", "report", "metrics").stdout
    finally:
        (faults.state / "metrics").unlink()
    assert "Cluster.BytesReadRemote  (Type: COUNTER, Value: 3072.00KB)\n" in text
    parsed = parse_metrics(text)
    assert parsed["format"] == "lines"
    assert parsed["bytes_read"] == {"network": 3145728, "domain_socket": 5120, "short_circuit_local": 0, "ufs": 16777216}
    throughput = parsed["metrics"]["Cluster.BytesReadRemoteThroughput"]
    assert (throughput["type"], throughput["value"], throughput["per_minute"]) == ("GAUGE", "1024.00KB/MIN", True)
    assert parsed["metrics"]["Cluster.Workers"]["number"] == 2
    assert parsed["metrics"]["Master.FilesCreated"]["type"] == "COUNTER"


def test_fs_stat_of_a_missing_path(alluxio):
    result = alluxio.cli("fs", "stat", "/nope", check=False)
    assert (result.returncode, result.stdout) == (255, 'Path "/nope" does not exist.\n')
    parsed = parse_fs_stat(result.stdout)
    assert (parsed["exists"], parsed["path"], parsed["file"]) == (False, "/nope", None)


def mounted_in_worker(pod, namespace, path):
    mounts = kubectl("-n", namespace, "exec", pod["metadata"]["name"], "-c", "alluxio-worker", "--", "cat", "/proc/mounts").stdout
    return any(line.split()[1] == path for line in mounts.splitlines())


def worker_java_opts(namespace):
    return kubectl_json("-n", namespace, "get", "configmap", "alluxio-config")["data"]["ALLUXIO_WORKER_JAVA_OPTS"]


def test_short_circuit_off_in_the_configmap_and_no_domain_socket(alluxio):
    opts = worker_java_opts(alluxio.namespace)
    assert "-Dalluxio.user.short.circuit.enabled=false " in opts
    assert "domain.socket" not in opts
    for pod in worker_pods(alluxio.namespace):
        assert not any(m["mountPath"] == "/opt/domain" for c in pod["spec"]["containers"] for m in c["volumeMounts"])
        assert not mounted_in_worker(pod, alluxio.namespace, "/opt/domain")


def test_short_circuit_on_sets_the_domain_socket_and_mounts_opt_domain(alluxio_domain_socket, worker_nodes):
    namespace = alluxio_domain_socket.namespace
    opts = worker_java_opts(namespace)
    assert ("-Dalluxio.worker.data.server.domain.socket.address=/opt/domain "
            "-Dalluxio.worker.data.server.domain.socket.as.uuid=true ") in opts
    assert "short.circuit.enabled" not in opts
    pods = worker_pods(namespace)
    assert sorted(pod["spec"]["nodeName"] for pod in pods) == sorted(worker_nodes)
    for pod in pods:
        volume = next(v for v in pod["spec"]["volumes"] if v["name"] == "alluxio-domain")
        assert volume["hostPath"] == {"path": "/tmp/alluxio-domain", "type": "DirectoryOrCreate"}
        for container in pod["spec"]["containers"]:
            assert {"name": "alluxio-domain", "mountPath": "/opt/domain"} in [
                {"name": m["name"], "mountPath": m["mountPath"]} for m in container["volumeMounts"]
            ]
        assert mounted_in_worker(pod, namespace, "/opt/domain")
    assert alluxio_domain_socket.capacity()["total_bytes"] == 2 * ONE_GIB


# --- spark-operator stand-in ------------------------------------------------------------------


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
