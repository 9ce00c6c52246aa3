"""Nodes, pod placement, logs/exec, and proof that each node has its own image store."""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from labkit import (
    BUSYBOX,
    NODES,
    RUNTIMES,
    build_dir,
    kubectl,
    kubectl_json,
    node_docker,
    node_image_id,
    node_pod_containers,
    pod_manifest,
    ssh_node,
    wait_until,
)


def test_three_nodes_ready_with_their_lab_ips(lab):
    nodes = kubectl_json("get", "nodes")["items"]
    seen = {}
    for node in nodes:
        name = node["metadata"]["name"]
        conditions = {c["type"]: c["status"] for c in node["status"]["conditions"]}
        addresses = {a["type"]: a["address"] for a in node["status"]["addresses"]}
        seen[name] = addresses["InternalIP"]
        assert conditions["Ready"] == "True", f"{name} not Ready: {conditions}"
        assert node["status"]["nodeInfo"]["kubeletVersion"] == "v1.20.2"
        assert node["status"]["nodeInfo"]["containerRuntimeVersion"].startswith(f"{RUNTIMES[name]}://")
        assert node["metadata"]["labels"]["kubernetes.io/hostname"] == name
    assert seen == NODES


# lab-n2 runs Docker (dockershim), lab-n3 containerd (CRI): the same pod behaves the same on both.
@pytest.mark.parametrize("node", ["lab-n2", "lab-n3"])
def test_pod_pinned_to_a_node_runs_there_with_logs_and_exec(namespace, node):
    kubectl("apply", "-n", namespace, "-f", "-",
            input=pod_manifest("hello", node, command="echo hello from $(hostname) on the lab; sleep 3600"))
    kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/hello", "--timeout=120s", timeout=150)
    pod = kubectl_json("get", "pod", "hello", "-n", namespace)
    assert pod["spec"]["nodeName"] == node
    assert pod["status"]["hostIP"] == NODES[node]
    assert ipaddress.ip_address(pod["status"]["podIP"]) in ipaddress.ip_network(f"10.244.{node[-1]}.0/24")
    assert pod["status"]["containerStatuses"][0]["containerID"].startswith(f"{RUNTIMES[node]}://")

    logs = wait_until(lambda: kubectl("logs", "-n", namespace, "hello").stdout, 30, 0.5, "pod logs")
    assert logs.strip() == "hello from hello on the lab"

    out = kubectl("exec", "-n", namespace, "hello", "--", "sh", "-c", "echo $((6 * 7)); cat /etc/hostname").stdout
    assert out.split() == ["42", "hello"]

    # The container really runs in the node's own runtime, and in no other node's.
    containers = {name: node_pod_containers(name, "hello", namespace) for name in NODES}
    assert len(containers.pop(node)) == 2, containers  # the pause sandbox and the container
    assert all(found == [] for found in containers.values()), containers
    if RUNTIMES[node] == "containerd":
        # kubelet names the pod's cgroup under the node's cgroup root (/lab-n3/pods), so lab.sh down finds it.
        besteffort = Path(f"/sys/fs/cgroup/pids/{node}/pods/kubepods/besteffort")
        assert f"pod{pod['metadata']['uid']}" in {entry.name for entry in besteffort.iterdir()}


def test_nodes_run_docker_and_containerd(lab):
    wide = kubectl("get", "nodes", "-o", "wide", "--no-headers").stdout.splitlines()
    runtimes = {line.split()[0]: line.split()[-1] for line in wide}
    assert runtimes == {"lab-n1": "docker://20.10.24+dfsg1", "lab-n2": "docker://20.10.24+dfsg1",
                        "lab-n3": "containerd://1.6.20"}, wide
    assert {node: runtime.split(":")[0] for node, runtime in runtimes.items()} == RUNTIMES


def _image_tar_only_for_n2(tag: str) -> bytes:
    """The lab's busybox image re-labelled into a distinct image (own config, hence own image ID)."""
    with tarfile.open(build_dir() / "images" / "busybox.tar") as source:
        # Member names may carry a "./" prefix (tar -C DIR .); docker load accepts both forms.
        members = {m.name.removeprefix("./"): m for m in source.getmembers()}

        def read(name):
            return source.extractfile(members[name]).read()

        manifest = json.loads(read("manifest.json"))
        config = json.loads(read(manifest[0]["Config"]))
        layer = manifest[0]["Layers"][0]
        layer_bytes = read(layer)
    config["config"]["Labels"] = {"lab.test/loaded-on": "lab-n2", "lab.test/id": tag}
    config_bytes = json.dumps(config).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest[0]["Config"] = config_name
    manifest[0]["RepoTags"] = [tag]

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as target:
        for name, data in ((layer, layer_bytes), (config_name, config_bytes),
                           ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_nodes_have_separate_image_stores(namespace):
    tag = f"lab/only-on-n2:{uuid.uuid4().hex[:8]}"
    # Loaded on lab-n2 alone, over SSH, the way a registry-less deployment ships images.
    loaded = ssh_node("lab-n2", "docker", "load", input_bytes=_image_tar_only_for_n2(tag))
    assert loaded.returncode == 0, loaded.stderr.decode()
    assert tag in loaded.stdout.decode()
    for node in NODES:
        present = node_image_id(node, tag) is not None
        assert present == (node == "lab-n2"), f"{tag} present on {node}: {present}"
    try:
        kubectl("apply", "-n", namespace, "-f", "-", input=pod_manifest("on-n3", "lab-n3", image=tag))
        kubectl("apply", "-n", namespace, "-f", "-", input=pod_manifest("on-n2", "lab-n2", image=tag))

        def waiting_reason():
            pod = kubectl_json("get", "pod", "on-n3", "-n", namespace)
            for status in pod["status"].get("containerStatuses", []):
                return status["state"].get("waiting", {}).get("reason")
            return None

        assert wait_until(lambda: waiting_reason() == "ErrImageNeverPull", 90, 1, "ErrImageNeverPull on lab-n3")
        events = kubectl_json("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=on-n3")
        reasons = {event["reason"] for event in events["items"]}
        assert "ErrImageNeverPull" in reasons, reasons
        assert kubectl_json("get", "pod", "on-n3", "-n", namespace)["spec"]["nodeName"] == "lab-n3"

        # The same pod spec on the node that has the image runs.
        kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/on-n2", "--timeout=120s", timeout=150)
    finally:
        kubectl("delete", "-n", namespace, "pod", "on-n2", "on-n3", "--wait=true", "--timeout=60s",
                check=False, timeout=90)
        node_docker("lab-n2", "image", "rm", tag)


def test_busybox_image_preloaded_on_every_node(lab):
    for node in NODES:
        assert node_image_id(node, BUSYBOX), node
        assert node_image_id(node, "k8s.gcr.io/pause:3.2"), node
    # the same images, whichever runtime loaded them
    assert len({node_image_id(node, BUSYBOX) for node in NODES}) == 1
