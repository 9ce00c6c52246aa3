"""Helpers of the lab tier (tests/integration/lab): kubectl, Ansible, ssh and docker against the lab.

Everything goes through real clients: kubectl against inventory/lab/kubeconfig, ssh/Ansible against the
nodes' sshd, docker or ctr against each node's own runtime socket. Named labkit (not conftest) so that test modules
can import it even when pytest collects other test directories with their own conftest.py in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
INVENTORY = REPO / "inventory" / "lab"
KUBECONFIG = INVENTORY / "kubeconfig"
STATE = Path(os.environ.get("LAB_STATE", "/var/lib/dataplane-alluxio-spark-lab"))
VENV_BIN = REPO / ".venv" / "bin"
NODES = {"lab-n1": "10.200.0.11", "lab-n2": "10.200.0.12", "lab-n3": "10.200.0.13"}
BUSYBOX = "lab/busybox:1"
# Each node's container runtime (LAB_CONTAINERD_NODES in tests/lab/lib/common.sh): lab-n3 runs containerd.
RUNTIMES = {"lab-n1": "docker", "lab-n2": "docker", "lab-n3": "containerd"}
HERE = Path(__file__).resolve().parent


def build_dir() -> Path:
    """The cache directory of the binaries and image tars the running lab uses."""
    return Path((STATE / "build-dir").read_text().strip())


def kubectl_path() -> str:
    # The lab's own kubectl is v1.20.2, exactly the server's version; any kubectl works, with skew warnings.
    try:
        own = build_dir() / "bin" / "kubectl"
        if own.is_file():
            return str(own)
    except OSError:
        pass
    found = shutil.which("kubectl")
    if not found:
        pytest.fail("no kubectl: neither the lab's build cache nor PATH has one")
    return found


def kubectl(*args: str, check: bool = True, input: str | None = None, timeout: int = 120):
    cmd = [kubectl_path(), "--kubeconfig", str(KUBECONFIG), *args]
    result = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def kubectl_json(*args: str):
    return json.loads(kubectl(*args, "-o", "json").stdout)


def wait_until(predicate, timeout: float, interval: float = 1.0, what: str = "condition"):
    """Polls predicate() until it returns a truthy value; fails the test with `what` on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what} (last value: {last!r})")


def ansible_env() -> dict:
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = str(REPO / "ansible.cfg")
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ANSIBLE_NOCOLOR"] = "1"
    return env


def run_ansible(*args: str, tool: str = "ansible", timeout: int = 300):
    cmd = [str(VENV_BIN / tool), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=ansible_env(), check=False)


def playbook(name: str, *extra: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    """ansible-playbook -i inventory/lab playbooks/NAME EXTRA..., from the repository root, as a user runs it."""
    return subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", "inventory/lab", f"playbooks/{name}", *extra],
                          cwd=REPO, env=ansible_env(), capture_output=True, text=True, timeout=timeout, check=False)


def ssh_node(node: str, *command: str, input_bytes: bytes | None = None, timeout: int = 120):
    """Runs a command on a node over real SSH, as Ansible does (key and address from the inventory)."""
    cmd = [
        "ssh", "-i", str(STATE / "ssh" / "id_ed25519"),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "BatchMode=yes", "-o", "ControlMaster=no",
        f"root@{NODES[node]}", *command,
    ]
    return subprocess.run(cmd, input=input_bytes, capture_output=True, timeout=timeout, check=False)


def node_docker(node: str, *args: str, timeout: int = 60):
    """docker against one node's own engine, through its socket under the lab state directory."""
    sock = STATE / "nodes" / node / "run" / "docker.sock"
    return subprocess.run(["/usr/bin/docker", "-H", f"unix://{sock}", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def node_ctr(node: str, *args: str, timeout: int = 60):
    """ctr in the k8s.io namespace (the one kubelet sees) of one containerd node, through its socket."""
    sock = STATE / "nodes" / node / "run" / "containerd" / "containerd.sock"
    return subprocess.run(["/usr/bin/ctr", "--address", str(sock), "--namespace", "k8s.io", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def containerd_ref(ref: str) -> str:
    """containerd's full name of a Docker-style reference: busybox:1 -> docker.io/library/busybox:1."""
    if "/" not in ref:
        return f"docker.io/library/{ref}"
    first = ref.split("/", 1)[0]
    if "." in first or ":" in first or first == "localhost":
        return ref
    return f"docker.io/{ref}"


def node_image_id(node: str, ref: str) -> str | None:
    """The image ID (config digest) the node's own runtime has under ref; None when it has none."""
    if RUNTIMES[node] == "docker":
        result = node_docker(node, "image", "inspect", "--format", "{{.Id}}", ref)
        return result.stdout.strip() if result.returncode == 0 else None
    listing = node_ctr(node, "images", "ls", f"name=={containerd_ref(ref)}").stdout.splitlines()
    if len(listing) < 2:
        return None
    manifest = node_ctr(node, "content", "get", listing[1].split()[2])
    if manifest.returncode != 0:
        return None
    return json.loads(manifest.stdout).get("config", {}).get("digest")


def node_remove_image(node: str, ref: str) -> None:
    """Removes ref from the node's own runtime (nothing when it is absent)."""
    if RUNTIMES[node] == "docker":
        node_docker(node, "image", "rm", "--force", ref)
    else:
        node_ctr(node, "images", "rm", containerd_ref(ref))


def node_pod_containers(node: str, pod: str, namespace: str) -> list[str]:
    """IDs of the containers (sandbox included) the node's own runtime runs for a pod."""
    if RUNTIMES[node] == "docker":
        return node_docker(node, "ps", "--filter", f"label=io.kubernetes.pod.name={pod}",
                           "--filter", f"label=io.kubernetes.pod.namespace={namespace}",
                           "--format", "{{.ID}}").stdout.split()
    listing = node_ctr(node, "containers", "ls", "--quiet",
                       f'labels."io.kubernetes.pod.name"=={pod},labels."io.kubernetes.pod.namespace"=={namespace}')
    return listing.stdout.split()


def pod_manifest(name: str, node: str, image: str = BUSYBOX, command: str = "sleep 3600") -> str:
    return json.dumps({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "nodeSelector": {"kubernetes.io/hostname": node},
            "terminationGracePeriodSeconds": 1,
            "containers": [{
                "name": "main",
                "image": image,
                # Nothing can be pulled in the lab: an image must already be in the node's engine.
                "imagePullPolicy": "Never",
                "command": ["sh", "-c", command],
            }],
        },
    })
