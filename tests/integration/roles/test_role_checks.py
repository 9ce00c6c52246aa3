# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each check of the alluxio role fails, naming the problem, when the cluster's state is wrong.

Runs on the lab (make lab-up) with the real Alluxio 2.9.6 and makes real faults: a hung worker process
(missing, then LOST), a worker started by hand on a node the role did not label (extra), an image tag no
node has (pods never ready). The lab's master declares a silent worker LOST after 20 s
(inventory/lab/group_vars/all/alluxio.yml).
"""

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
KUBECONFIG = os.path.join(ROOT, "inventory", "lab", "kubeconfig")
BIN = os.path.dirname(sys.executable)
NAMESPACE = "alluxio"
sys.path.insert(0, os.path.join(ROOT, ".collections"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "lab"))
from labkit import wait_until  # noqa: E402

from ansible_collections.dataplane.alluxio_spark.plugins.filter.alluxio_workers import alluxio_worker_check  # noqa: E402
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity  # noqa: E402

IPS = {"lab-n1": "10.200.0.11", "lab-n2": "10.200.0.12", "lab-n3": "10.200.0.13"}


def run_role(role, check=False, args=(), **extra):
    """Run the role with the lab variables (in check mode if asked); return (exit code, output)."""
    path = os.path.join(ROOT, "tests", "output", "role-vars.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(dict(extra, role_under_test=role), handle)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), MOLECULE_PROJECT_DIRECTORY=ROOT,
               ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_CALLBACK_RESULT_FORMAT="json")
    argv = [os.path.join(BIN, "ansible-playbook"), "tests/integration/roles/run_role.yml", "-e", "@" + path] + (["--check"] if check else []) + list(args)
    done = subprocess.run(argv,
                          check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


def published(out):
    """The fact the role published, from the last task of run_role.yml (printed as JSON)."""
    start = out.index("=> {", out.index("TASK [Show the published facts]")) + 3
    end = out.index("\n}\n", start) + 2
    return json.loads(out[start:end])["msg"]["published"]


def kubectl(*args):
    return subprocess.run(["kubectl", "--kubeconfig", KUBECONFIG, *args], check=False, capture_output=True, text=True, timeout=60)


def pod_readiness(namespace):
    """{pod name: Ready} of the namespace's pods."""
    pods = json.loads(kubectl("-n", namespace, "get", "pods", "-o", "json").stdout)["items"]
    return {
        pod["metadata"]["name"]: any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))
        for pod in pods
    }


def alluxio(*args):
    """An alluxio command in the master pod; its stdout."""
    done = kubectl("-n", NAMESPACE, "exec", "alluxio-master-0", "-c", "alluxio-master", "--", "alluxio", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def reported(which):
    """Worker names in `report capacity -live` or `-lost`."""
    return {line.split()[0] for line in alluxio("fsadmin", "report", "capacity", "-" + which).splitlines()
            if line[:1].isdigit()}


def worker_pods():
    """The worker pods, less those already terminating."""
    pods = json.loads(kubectl("-n", NAMESPACE, "get", "pods", "-l", "role=alluxio-worker", "-o", "json").stdout)["items"]
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")]


def worker_pod(node):
    return next(p for p in worker_pods() if p["spec"].get("nodeName") == node)


def lab_settings():
    with open(os.path.join(ROOT, "inventory", "lab", "group_vars", "all", "alluxio.yml")) as handle:
        return yaml.safe_load(handle)


def healthy():
    """The deployed state every test starts from: the workers of lab-n1 and lab-n3 live, nobody lost or extra."""
    return reported("live") == {IPS["lab-n1"], IPS["lab-n3"]} and all(pod_readiness(NAMESPACE).values())


@pytest.fixture(scope="module")
def deployed():
    rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]
    yield
    rc, out = run_role("alluxio", alluxio_state="absent")
    assert rc == 0, out[-3000:]


@pytest.fixture
def restored(deployed):
    """Puts the release back as deployed after a test that broke it, and waits until it is healthy."""
    yield
    rc, out = run_role("alluxio", alluxio_verify_timeout=120)
    assert rc == 0, out[-3000:]
    wait_until(healthy, 120, what="the workers of lab-n1 and lab-n3 to be live again")


def test_deploy_publishes_the_cluster(deployed):
    rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]
    assert published(out) == {
        "namespace": "alluxio",
        "release": "alluxio",
        "master_pod": "alluxio-master-0",
        "master_container": "alluxio-master",
        "master_uri": "alluxio://alluxio-master-0.alluxio:19998",
        "worker_nodes": [{"name": "lab-n1", "ip": "10.200.0.11"}, {"name": "lab-n3", "ip": "10.200.0.13"}],
        "worker_label": "alluxio=true",
        "short_circuit_enabled": False,
        "domain_socket_host_path": "",
        "version": "2.9.6",
    }
    labels = kubectl("get", "nodes", "-l", "alluxio=true", "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
    assert sorted(labels) == ["lab-n1", "lab-n3"]


def test_a_hung_worker_is_missing_then_named_lost(restored):
    pod = worker_pod("lab-n3")["metadata"]["name"]
    # SIGSTOP: the JVM keeps its ports (the pod stays Ready) but sends no heartbeat, as a hung worker does.
    stop = kubectl("-n", NAMESPACE, "exec", pod, "-c", "alluxio-worker", "--", "pkill", "-STOP", "-f", "alluxio.worker.AlluxioWorker")
    assert stop.returncode == 0, stop.stderr
    try:
        wait_until(lambda: IPS["lab-n3"] in reported("lost"), 90, what="the master to declare lab-n3's worker LOST")
        # The master keeps the dead worker in the report of all workers: only the live report shows it gone.
        assert "10.200.0.13 " in alluxio("fsadmin", "report", "capacity")
        rc, out = run_role("alluxio", alluxio_verify_timeout=10)
    finally:
        kubectl("-n", NAMESPACE, "delete", "pod", pod, "--wait=false")
    assert rc != 0
    assert "Missing workers (labelled, not reporting): lab-n3 (10.200.0.13)." in out
    assert "Extra workers (reporting, not labelled): none." in out
    assert "Lost workers (known to the master, no heartbeat): 10.200.0.13 (lab-n3)." in out


def test_a_node_that_lost_its_label_is_missing_until_the_role_labels_it_again(restored):
    assert kubectl("label", "node", "lab-n3", "alluxio-").returncode == 0
    # The DaemonSet takes lab-n3's worker away; the master declares the silent worker LOST after 20 s. A worker
    # of lab-n3 may be LOST already (an earlier test's hung one, under its own worker id): wait for the live one.
    wait_until(lambda: IPS["lab-n3"] not in reported("live") and IPS["lab-n3"] in reported("lost"), 120,
               what="lab-n3's worker to leave the live report and be declared LOST")
    assert [p["spec"]["nodeName"] for p in worker_pods()] == ["lab-n1"]
    # The role's check, on the real reports: the parser its module runs, then its filter.
    live, lost = (parse_capacity(alluxio("fsadmin", "report", "capacity", "-" + which)) for which in ("live", "lost"))
    check = alluxio_worker_check(live, lost, ["lab-n1", "lab-n3"], IPS)
    assert not check["ok"]
    assert "Missing workers (labelled, not reporting): lab-n3 (10.200.0.13)." in check["message"]
    # One LOST entry per pod lab-n3 had (a worker's identity includes its pod's IP): an earlier test's hung one too.
    entries = [w["name"] for w in lost["workers"]].count(IPS["lab-n3"])
    assert entries >= 1
    named = "10.200.0.13 (lab-n3)" if entries == 1 else "10.200.0.13 (lab-n3, %d lost workers)" % entries
    assert check["lost"] == [named]
    assert "Lost workers (known to the master, no heartbeat): %s." % named in check["message"]
    # A run of the role labels the node again, and passes once its new worker is live.
    rc, out = run_role("alluxio", alluxio_verify_timeout=120)
    assert rc == 0, out[-3000:]
    assert "changed: [localhost] => (item=lab-n3)" in out
    assert reported("live") == {IPS["lab-n1"], IPS["lab-n3"]}


def test_a_worker_started_by_hand_on_an_unlabelled_node_is_extra(restored):
    # The DaemonSet's own pod, pinned to lab-n2, which the role did not label: a real worker registers.
    template = json.loads(kubectl("-n", NAMESPACE, "get", "daemonset", "alluxio-worker", "-o", "json").stdout)["spec"]["template"]
    template["spec"].pop("nodeSelector", None)
    template["spec"]["nodeName"] = "lab-n2"
    template["metadata"] = {"name": "worker-by-hand", "labels": {"test": "worker-by-hand"}}
    pod = dict(template, apiVersion="v1", kind="Pod")
    created = subprocess.run(["kubectl", "--kubeconfig", KUBECONFIG, "-n", NAMESPACE, "apply", "-f", "-"],
                             input=json.dumps(pod), check=False, capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    try:
        wait_until(lambda: IPS["lab-n2"] in reported("live"), 180, what="the hand-started worker on lab-n2 to register")
        rc, out = run_role("alluxio", alluxio_verify_timeout=10)
    finally:
        kubectl("-n", NAMESPACE, "delete", "pod", "worker-by-hand", "--wait=false")
    assert rc != 0
    assert "Missing workers (labelled, not reporting): none." in out
    assert "Extra workers (reporting, not labelled): 10.200.0.12." in out
    # It stays live for the master's worker timeout after its pod is gone; the next test needs it gone.
    wait_until(lambda: IPS["lab-n2"] not in reported("live"), 120, what="the hand-started worker to leave the live report")


def test_pods_that_never_start_fail_naming_pods_nodes_and_reasons(restored):
    # An image tag no node has: nothing can be pulled in the lab, so the new pods never start.
    rc, out = run_role("alluxio", alluxio_image_tag="2.9.6-no-node-has-it", alluxio_wait_timeout=30)
    assert rc != 0
    assert "Alluxio was not ready within 30 s in namespace alluxio." in out
    assert "alluxio-master-0 on lab-n" in out
    assert "ErrImageNeverPull" in out


def test_a_removed_nodes_old_worker_stays_lost_and_does_not_fail(deployed):
    try:
        rc, out = run_role("alluxio", alluxio_worker_nodes=["lab-n1"], alluxio_verify_timeout=120)
        assert rc == 0, out[-3000:]
        assert published(out)["worker_nodes"] == [{"name": "lab-n1", "ip": "10.200.0.11"}]
        # lab-n3's worker is gone but the master still lists it, as LOST.
        lost = kubectl("-n", NAMESPACE, "exec", "alluxio-master-0", "-c", "alluxio-master", "--",
                       "alluxio", "fsadmin", "report", "capacity", "-lost")
        assert lost.stdout.startswith("Capacity information for lost workers: ") and "10.200.0.13 " in lost.stdout
    finally:
        rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]


def test_a_named_node_labelled_otherwise_by_someone_else_is_refused(deployed):
    assert kubectl("label", "node", "lab-n2", "alluxio=false").returncode == 0
    try:
        rc, out = run_role("alluxio", alluxio_worker_nodes=["lab-n1", "lab-n2", "lab-n3"])
        value = kubectl("get", "node", "lab-n2", "-o", "jsonpath={.metadata.labels.alluxio}").stdout
    finally:
        kubectl("label", "node", "lab-n2", "alluxio-")
    assert rc != 0
    assert ("Cannot label the worker nodes: lab-n2 carries alluxio=false, set by someone else, but this release's workers "
            "select alluxio=true; change or remove that label (kubectl label node lab-n2 alluxio-) or leave lab-n2 out of "
            "alluxio_worker_nodes.") in out
    assert value == "false"  # untouched


def test_removal_is_not_blocked_by_deploy_checks(deployed):
    # Every node cordoned and a decommissioned node still named: removal must still go through.
    kubectl("cordon", "lab-n1", "lab-n2", "lab-n3")
    try:
        rc, out = run_role("alluxio", alluxio_state="absent", alluxio_worker_nodes=["lab-n1", "lab-n9-decommissioned"])
    finally:
        kubectl("uncordon", "lab-n1", "lab-n2", "lab-n3")
    assert rc == 0, out[-3000:]
    assert kubectl("get", "nodes", "-l", "alluxio", "-o", "name").stdout == ""
    assert kubectl("get", "namespace", NAMESPACE).returncode != 0
    rc, out = run_role("alluxio")  # back to what the other tests expect
    assert rc == 0, out[-3000:]


def test_unknown_worker_node_is_refused(deployed):
    rc, out = run_role("alluxio", alluxio_worker_nodes=["lab-n1", "lab-n9"])
    assert rc != 0
    assert "alluxio_worker_nodes names nodes the cluster does not have: lab-n9." in out


def test_foreign_worker_label_is_refused(deployed):
    assert kubectl("label", "node", "lab-n2", "alluxio=true").returncode == 0
    try:
        rc, out = run_role("alluxio")
    finally:
        kubectl("label", "node", "lab-n2", "alluxio-")
    assert rc != 0
    assert "Nodes lab-n2 (labelled by someone else) carry the label alluxio=true but are not in alluxio_worker_nodes" in out


def test_check_mode_reports_without_changing(deployed):
    rc, out = run_role("alluxio", check=True, alluxio_worker_nodes=["lab-n1", "lab-n2", "lab-n3"])
    assert rc == 0, out[-3000:]
    assert "changed: [localhost] => (item=lab-n2)" in out
    labels = kubectl("get", "nodes", "-l", "alluxio=true", "-o", "jsonpath={.items[*].metadata.name}").stdout.split()
    assert sorted(labels) == ["lab-n1", "lab-n3"]


def test_second_run_changes_nothing(deployed):
    rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]
    assert "changed=0" in out


def worker_jvm(node):
    """The command line of the worker JVM on `node`, and its container's log."""
    pod = worker_pod(node)["metadata"]["name"]
    cmdline = kubectl("-n", NAMESPACE, "exec", pod, "-c", "alluxio-worker", "--", "sh", "-c", "tr '\\0' ' ' < /proc/$(pgrep -o java)/cmdline")
    log = kubectl("-n", NAMESPACE, "logs", pod, "-c", "alluxio-worker")
    return cmdline.stdout.split(), log.stdout


def test_short_circuit_switches_on_and_off_on_an_installed_release(restored):
    # The chart's ConfigMap changes in place; the role's checksum on the pods is what restarts the JVMs.
    for enabled in (True, False):
        rc, out = run_role("alluxio", alluxio_short_circuit_enabled=enabled)
        assert rc == 0, out[-3000:]
        assert published(out)["short_circuit_enabled"] is enabled
        for node in ("lab-n1", "lab-n3"):
            argv, log = worker_jvm(node)
            assert "-Dalluxio.user.short.circuit.enabled=%s" % str(enabled).lower() in argv, (node, enabled)
            assert ("-Dalluxio.worker.data.server.domain.socket.as.uuid=true" in argv) is enabled, (node, enabled)
            assert ("Domain socket data server is enabled at /opt/domain/" in log) is enabled, (node, enabled)


def test_a_secret_property_never_reaches_the_output(deployed):
    secret = "s3cr3t-" + os.urandom(6).hex()
    # The lab's own properties stay (extra vars replace the whole map), so the restarted pods still run.
    rc, out = run_role("alluxio", args=["-vvv"], alluxio_properties=dict(lab_settings()["alluxio_properties"], **{"fs.s3a.secretKey": secret}))
    assert rc == 0, out[-3000:]
    assert "fs.s3a.secretKey" not in out and secret not in out
    assert "the output has been hidden" in out  # the values and the helm results
    # It did reach the release (so the test above is not vacuous).
    values = subprocess.run([os.path.join(BIN, "helm"), "--kubeconfig", KUBECONFIG, "get", "values", "alluxio", "-n", NAMESPACE, "-o", "json"],
                            check=True, capture_output=True, text=True, timeout=60).stdout
    assert json.loads(values)["properties"]["fs.s3a.secretKey"] == secret
    # No run to put the old values back: the module's last test, and its fixture removes the release next.
