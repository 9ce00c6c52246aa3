"""The lab network behaves like a real cluster's: cluster DNS (CoreDNS) and ClusterIP Services (kube-proxy).

A web pod on lab-n1 serves a random token; clients on another node and on the same node fetch it by
Service name (through the ClusterIP), by the per-pod name of a headless Service (straight to the pod), and
ask the API server through kubernetes.default.svc.
"""

from __future__ import annotations

import json
import uuid

import pytest
from labkit import kubectl, kubectl_json, pod_manifest

WEB_NODE = "lab-n1"
# busybox 1.35's `wget -T` crashes (SIGSEGV); the timeout applet bounds each attempt instead.
FETCH = "timeout 5 wget -qO-"


def service(name: str, *, headless: bool, port: int) -> dict:
    spec = {"selector": {"app": "web"}, "ports": [{"name": "http", "port": port, "targetPort": 8080}]}
    if headless:
        spec["clusterIP"] = "None"
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


@pytest.fixture
def web(namespace):
    """A busybox httpd on WEB_NODE behind a ClusterIP Service `web` (port 80) and a headless one."""
    token = uuid.uuid4().hex
    pod = json.loads(pod_manifest(
        "web-0", WEB_NODE,
        command=f"mkdir -p /www && echo {token} > /www/token && exec httpd -f -p 8080 -h /www"))
    pod["metadata"]["labels"] = {"app": "web"}
    # hostname + subdomain give the pod its own DNS name under the headless Service, as a StatefulSet does.
    pod["spec"]["hostname"] = "web-0"
    pod["spec"]["subdomain"] = "web-headless"
    pod["spec"]["containers"][0]["readinessProbe"] = {"tcpSocket": {"port": 8080}, "periodSeconds": 1}
    objects = [pod, service("web", headless=False, port=80), service("web-headless", headless=True, port=8080)]
    kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    for client, node in (("client-far", "lab-n3"), ("client-near", WEB_NODE)):
        kubectl("apply", "-n", namespace, "-f", "-", input=pod_manifest(client, node))
    for name in ("web-0", "client-far", "client-near"):
        kubectl("wait", "-n", namespace, "--for=condition=Ready", f"pod/{name}", "--timeout=120s", timeout=150)
    return {"namespace": namespace, "token": token,
            "cluster_ip": kubectl_json("get", "service", "web", "-n", namespace)["spec"]["clusterIP"],
            "pod_ip": kubectl_json("get", "pod", "web-0", "-n", namespace)["status"]["podIP"]}


def in_pod(namespace: str, pod: str, script: str, timeout: int = 60) -> str:
    """Runs script in the pod, retrying for up to `timeout` seconds while it fails (rules and DNS
    records follow the endpoints a moment later); returns its stdout."""
    retry = f"end=$(( $(date +%s) + {timeout} )); until out=$({script}); do " \
            f"[ $(date +%s) -lt $end ] || {{ echo \"$out\"; exit 1; }}; sleep 1; done; echo \"$out\""
    return kubectl("exec", "-n", namespace, pod, "--", "sh", "-c", retry, timeout=timeout + 30).stdout.strip()


def test_pods_use_the_cluster_dns(web):
    resolv = in_pod(web["namespace"], "client-far", "cat /etc/resolv.conf")
    assert "nameserver 10.200.0.1" in resolv.splitlines()
    assert f"search {web['namespace']}.svc.cluster.local svc.cluster.local cluster.local" in resolv


# busybox's nslookup applies the search list to single-label names only; wget below uses the C library's
# resolver, which applies it (ndots:5) to "web.<namespace>" too.
@pytest.mark.parametrize("name", ["web", "web.{ns}.svc.cluster.local"])
def test_service_names_resolve_to_the_cluster_ip(web, name):
    fqdn = name.format(ns=web["namespace"])
    out = in_pod(web["namespace"], "client-far", f"nslookup {fqdn} | sed -n 's/^Address: //p' | grep -v ':53$'")
    assert out.split() == [web["cluster_ip"]]


@pytest.mark.parametrize("client", ["client-far", "client-near"])
@pytest.mark.parametrize("name", ["web", "web.{ns}", "web.{ns}.svc.cluster.local"])
def test_cluster_ip_service_reaches_the_pod_from_any_node(web, client, name):
    url = f"http://{name.format(ns=web['namespace'])}/token"
    assert in_pod(web["namespace"], client, f"{FETCH} {url}") == web["token"]


def test_headless_per_pod_name_reaches_the_pod_directly(web):
    name = f"web-0.web-headless.{web['namespace']}.svc.cluster.local"
    address = in_pod(web["namespace"], "client-far", f"nslookup {name} | sed -n 's/^Address: //p' | grep -v ':53$'")
    assert address.split() == [web["pod_ip"]]
    # The short per-pod name works within the namespace, as Alluxio's alluxio-master-0 needs.
    assert in_pod(web["namespace"], "client-far", f"{FETCH} http://web-0.web-headless:8080/token") == web["token"]


def test_kubernetes_default_svc_answers_from_a_pod(web):
    address = in_pod(web["namespace"], "client-far",
                     "nslookup kubernetes.default.svc.cluster.local | sed -n 's/^Address: //p' | grep -v ':53$'")
    assert address.split() == ["10.96.0.1"]
    version = in_pod(web["namespace"], "client-far",
                     f"{FETCH} --no-check-certificate https://kubernetes.default.svc/version")
    assert json.loads(version)["gitVersion"] == "v1.20.2"


def test_names_outside_the_cluster_do_not_resolve(web):
    result = kubectl("exec", "-n", web["namespace"], "client-far", "--", "nslookup", "deb.debian.org",
                     check=False, timeout=60)
    assert result.returncode != 0
