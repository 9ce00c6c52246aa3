"""The info modules on the live lab: every exec that cannot run fails cleanly, naming pod, container and command.

One ansible-playbook run drives the real modules (their pod mode, through the Kubernetes API) for each case; the
tests read the registered results. A busybox pod stands in for the Alluxio master: `echo` prints a capacity
report that parses, anything else is one of the failures a user meets.
"""

from __future__ import annotations

import base64
import json

import labkit
import pytest
import yaml

MODULE = "dataplane.alluxio_spark.alluxio_capacity_info"
STAT = "dataplane.alluxio_spark.alluxio_fs_stat_info"


def pod(name: str, node: str) -> str:
    """labkit's busybox pod, on `node` (a node that does not exist keeps it Pending)."""
    manifest = json.loads(labkit.pod_manifest(name, "lab-n1"))
    manifest["spec"]["nodeSelector"] = {"kubernetes.io/hostname": node}
    return json.dumps(manifest)


def phase_and_scheduling(namespace: str, name: str):
    status = labkit.kubectl_json("get", "pod", name, "-n", namespace)["status"]
    scheduled = {c["type"]: c for c in status.get("conditions", [])}.get("PodScheduled", {})
    return status.get("phase"), scheduled.get("status"), scheduled.get("reason")


@pytest.fixture(scope="module")
def pods(namespace):
    """`runner` Ready on lab-n1; `pending` that the scheduler has looked at and cannot place."""
    labkit.kubectl("apply", "-n", namespace, "-f", "-", input=pod("runner", "lab-n1"))
    labkit.kubectl("apply", "-n", namespace, "-f", "-", input=pod("pending", "no-such-node"))
    labkit.kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/runner", "--timeout=120s", timeout=150)
    labkit.wait_until(lambda: phase_and_scheduling(namespace, "pending") == ("Pending", "False", "Unschedulable"),
                      60, 0.5, f"pod {namespace}/pending to be found unschedulable")
    return namespace


@pytest.fixture(scope="module")
def token_credentials(pods, tmp_path_factory):
    """What an AWX Kubernetes credential gives: the API server's URL, its CA and a bearer token - no kubeconfig.

    The token is a service account's that may only exec into this namespace's pods.
    """
    namespace = pods
    rbac = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "alluxio-reader"}},
        # a token Secret of its own: Kubernetes 1.24+ no longer makes one per service account
        {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
         "metadata": {"name": "alluxio-reader-token", "annotations": {"kubernetes.io/service-account.name": "alluxio-reader"}}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "exec"},
         "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                   {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create", "get"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "exec"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "exec"},
         "subjects": [{"kind": "ServiceAccount", "name": "alluxio-reader", "namespace": namespace}]},
    ]
    labkit.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": rbac}))

    def token():
        data = labkit.kubectl_json("get", "secret", "alluxio-reader-token", "-n", namespace).get("data") or {}
        return base64.b64decode(data["token"]).decode() if data.get("token") else None

    kubeconfig = yaml.safe_load(labkit.KUBECONFIG.read_text())
    cluster = kubeconfig["clusters"][0]["cluster"]
    ca = tmp_path_factory.mktemp("credential") / "ca.crt"
    ca.write_bytes(base64.b64decode(cluster["certificate-authority-data"]))
    return {"host": cluster["server"], "ca_cert": str(ca),
            "api_key": labkit.wait_until(token, 60, 0.5, "the token of service account alluxio-reader")}


def run_cases(tmp_path, cases):
    """Runs each (name, module, args, environment) as one task of one playbook; returns the registered results."""
    tasks = []
    for name, module, args, environment in cases:
        tasks.append({"name": name, module: args, "register": "result", "ignore_errors": True, "environment": environment})
        tasks.append({"name": f"keep {name}", "ansible.builtin.set_fact": {"results": "{{ results | combine({%r: result}) }}" % name}})
    write = {"content": "{{ results | to_json }}", "dest": str(tmp_path / "results.json"), "mode": "0600"}
    tasks.append({"name": "write the results", "ansible.builtin.copy": write})
    playbook = [{"name": "info modules against the lab", "hosts": "localhost", "gather_facts": False, "vars": {"results": {}}, "tasks": tasks}]
    (tmp_path / "playbook.yml").write_text(yaml.safe_dump(playbook))
    run = labkit.run_ansible(str(tmp_path / "playbook.yml"), tool="ansible-playbook", timeout=600)
    assert (tmp_path / "results.json").is_file(), run.stdout + run.stderr
    return json.loads((tmp_path / "results.json").read_text())


@pytest.fixture(scope="module")
def results(pods, token_credentials, tmp_path_factory):
    namespace = pods
    on_lab = {"kubeconfig": str(labkit.KUBECONFIG), "namespace": namespace, "timeout": 60}
    no_kubeconfig = {"K8S_AUTH_KUBECONFIG": "/nonexistent", "KUBECONFIG": "/nonexistent"}
    credential_env = {"K8S_AUTH_HOST": token_credentials["host"], "K8S_AUTH_API_KEY": token_credentials["api_key"],
                      "K8S_AUTH_SSL_CA_CERT": token_credentials["ca_cert"], "KUBECONFIG": "/nonexistent"}
    echo = {"pod": "runner", "container": "main", "alluxio_bin": "echo", "report_args": ["No", "workers", "found."]}
    cases = [
        ("works", MODULE, dict(on_lab, **echo), {}),
        ("wrong alluxio_bin", MODULE, dict(on_lab, pod="runner", container="main", alluxio_bin="/opt/alluxio/bin/alluxio"), {}),
        ("missing container", MODULE, dict(on_lab, pod="runner"), {}),
        ("pod not found", STAT, dict(on_lab, path="/LICENSE"), {}),
        ("pod not running", MODULE, dict(on_lab, pod="pending", container="main"), {}),
        ("host and token options", MODULE, dict(echo, namespace=namespace, **token_credentials), no_kubeconfig),
        ("K8S_AUTH_ environment", MODULE, dict(echo, namespace=namespace), credential_env),
        ("token without rights elsewhere", MODULE, dict(echo, namespace="kube-system", **token_credentials), no_kubeconfig),
        ("impersonation", MODULE, dict(on_lab, impersonate_user="nobody-at-all", **echo), {}),
    ]
    return run_cases(tmp_path_factory.mktemp("playbook"), cases)


def clean_failure(result):
    """The module failed by itself (fail_json), not by crashing: no traceback, no MODULE FAILURE."""
    assert result.get("failed") is True, result
    for key in ("module_stderr", "module_stdout"):
        assert key not in result, f"not a clean failure ({key}): {result[key]}"
    # ansible-core 2.19 gives every failed result an "exception"; only a crash puts a traceback there
    assert result.get("exception", "(traceback unavailable)") == "(traceback unavailable)", result["exception"]
    assert "Traceback" not in json.dumps(result) and "MODULE FAILURE" not in result["msg"]
    return result["msg"]


def test_a_reachable_pod_runs_the_command(results):
    result = results["works"]
    assert not result.get("failed"), result
    assert (result["rc"], result["command"], result["worker_count"], result["total_bytes"]) == (0, ["echo", "No", "workers", "found."], 0, 0)


def test_wrong_alluxio_bin(results, namespace):
    result = results["wrong alluxio_bin"]
    assert clean_failure(result) == (
        f"Command '/opt/alluxio/bin/alluxio fsadmin report capacity' in pod {namespace}/runner (container main) failed with exit code 126 "
        "(126/127: the program could not be run; is alluxio_bin right?)")
    assert "/opt/alluxio/bin/alluxio: no such file or directory" in result["stdout"]  # the runtime's own words


def test_missing_container(results, namespace):
    assert clean_failure(results["missing container"]) == (
        f"Cannot run 'alluxio fsadmin report capacity' in pod {namespace}/runner (container alluxio-master): "
        "HTTP 400: container alluxio-master is not valid for pod runner")


def test_pod_not_found(results, namespace):
    assert clean_failure(results["pod not found"]) == (
        f"Cannot run 'alluxio fs stat /LICENSE' in pod {namespace}/alluxio-master-0 (container alluxio-master): "
        'HTTP 404: pods "alluxio-master-0" not found')


def test_pod_not_running(results, namespace):
    assert clean_failure(results["pod not running"]) == (
        f"Cannot run 'alluxio fsadmin report capacity' in pod {namespace}/pending (container main): "
        "HTTP 400: pod pending does not have a host assigned")


@pytest.mark.parametrize("case", ["host and token options", "K8S_AUTH_ environment"])
def test_token_credentials_without_kubeconfig(results, case):
    result = results[case]
    assert not result.get("failed"), result
    assert (result["rc"], result["worker_count"]) == (0, 0)


def test_the_token_is_what_authenticates(results):
    """The same credentials, against a namespace the service account may not exec in: the API server says no."""
    msg = clean_failure(results["token without rights elsewhere"])
    assert msg.startswith("Cannot run 'echo No workers found.' in pod kube-system/runner (container main): HTTP 403: ")
    assert 'User "system:serviceaccount:' in msg and ':alluxio-reader" cannot ' in msg


def test_impersonation_is_refused(results, namespace):
    assert clean_failure(results["impersonation"]).startswith(
        f"Cannot run 'echo No workers found.' in pod {namespace}/runner (container main) with impersonation (Impersonate-User): "
        "the Kubernetes client's exec does not send impersonation headers")


def test_why_the_exec_cannot_impersonate(pods):
    """The premise of that refusal, on the real cluster: the client sends Impersonate-User on REST calls but not on
    the exec's websocket, so an exec "as nobody" runs as the caller. If a client release fixes this, this test fails:
    then let the modules impersonate."""
    from kubernetes import client, config  # noqa: PLC0415  # the venv's client, as the modules use it
    from kubernetes.client.rest import ApiException  # noqa: PLC0415
    from kubernetes.stream import stream  # noqa: PLC0415

    api_client = config.new_client_from_config(config_file=str(labkit.KUBECONFIG))
    api_client.set_default_header("Impersonate-User", "nobody-at-all")
    api = client.CoreV1Api(api_client)
    with pytest.raises(ApiException) as refused:
        api.read_namespaced_pod("runner", pods)
    assert refused.value.status == 403
    output = stream(api.connect_get_namespaced_pod_exec, "runner", pods, container="main", command=["echo", "ran as the caller"],
                    stdin=False, stdout=True, stderr=True, tty=False)
    assert output == "ran as the caller\n"
