# -*- coding: utf-8 -*-
"""The spark_image role on the lab, run the way a user runs it:
``ansible-playbook -i inventory/lab playbooks/spark_image.yml`` with no extra variables (or the ones a test
names). Before the first run: the real Alluxio image in every node and the real Alluxio deployed (the word
counts read alluxio://.../LICENSE from it), the Spark distribution and the base images on the build engine
(tests/images/spark/prepare-lab.sh), and no Spark image anywhere. A lab that is not up is a failure, never a skip.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "integration" / "lab"))
sys.path.insert(0, str(REPO / ".collections"))
import labkit  # noqa: E402

IMAGE = "spark-alluxio:4.1.4-alluxio-2.9.6"
BUILD_SOCK = labkit.STATE / "build-docker" / "run" / "docker.sock"
ALLUXIO_NAMESPACE = "alluxio"
# The label the role puts on every image it builds.
INPUTS_LABEL = "io.github.dataplane.alluxio-spark.inputs"


def playbook(name: str, *extra: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    """ansible-playbook -i inventory/lab playbooks/NAME EXTRA..., from the repository root."""
    return subprocess.run([str(labkit.VENV_BIN / "ansible-playbook"), "-i", "inventory/lab", f"playbooks/{name}", *extra],
                          cwd=REPO, env=labkit.ansible_env(), capture_output=True, text=True, timeout=timeout, check=False)


def build_docker(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """docker against the lab's build engine (the controller's Docker)."""
    return subprocess.run(["/usr/bin/docker", "-H", f"unix://{BUILD_SOCK}", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def node_image_ids() -> dict[str, str | None]:
    """The Spark image's ID on each node, asked of the node's own runtime (None: absent)."""
    return {node: labkit.node_image_id(node, IMAGE) for node in labkit.NODES}


def remove_built_images(node: str) -> None:
    """Removes from the node every image the role built: by its label on Docker, by its name on containerd
    (whose images carry no labels of their config); containerd then collects the blobs nobody references."""
    if labkit.RUNTIMES[node] == "docker":
        built = ("image", "ls", "--quiet", "--no-trunc", "--filter", f"label={INPUTS_LABEL}")
        for image in set(labkit.node_docker(node, *built).stdout.split()):
            labkit.node_docker(node, "image", "rm", "--force", image)
        assert labkit.node_docker(node, *built).stdout.strip() == "", node
    else:
        repository = labkit.containerd_ref(IMAGE).rsplit(":", 1)[0] + ":"
        names = [name for name in labkit.node_ctr(node, "images", "ls", "--quiet").stdout.split() if name.startswith(repository)]
        if names:
            labkit.node_ctr(node, "images", "rm", *names)
        assert not any(name.startswith(repository) for name in labkit.node_ctr(node, "images", "ls", "--quiet").stdout.split()), node


def recap(stdout: str) -> dict[str, dict[str, int]]:
    """PLAY RECAP counters per host."""
    hosts = {}
    for line in stdout.split("PLAY RECAP", 1)[-1].splitlines():
        match = re.match(r"^(\S+)\s+:\s+(.*)$", line)
        if match:
            hosts[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return hosts


def report_rows(stdout: str) -> dict[str, list[str]]:
    """The role's per-node report rows (node -> its columns), as the role's debug task prints its lines."""
    rows = {}
    for node in labkit.NODES:
        match = re.search(r"^\s*- '?(%s\s.*?)'?$" % re.escape(node), stdout, re.MULTILINE)
        if match:
            rows[node] = match.group(1).split()
    return rows


@pytest.fixture(scope="session")
def lab_ready():
    if not labkit.KUBECONFIG.is_file():
        pytest.fail(f"the lab is not up: {labkit.KUBECONFIG} is missing. Run: make lab-up")
    subprocess.run(["bash", str(REPO / "tests" / "images" / "alluxio" / "load-into-lab.sh")], check=True, timeout=1800)
    subprocess.run(["bash", str(REPO / "tests" / "images" / "spark" / "prepare-lab.sh")], check=True, timeout=1800)
    # A first run must build and load everything: no image the role built (by its label), and no build cache.
    built = ("image", "ls", "--quiet", "--no-trunc", "--filter", f"label={INPUTS_LABEL}")
    for image in set(build_docker(*built).stdout.split()):
        build_docker("image", "rm", "--force", image)
    build_docker("builder", "prune", "--all", "--force")
    for node in labkit.NODES:
        remove_built_images(node)
    deployed = playbook("alluxio.yml")
    assert deployed.returncode == 0, deployed.stdout[-4000:] + deployed.stderr[-2000:]
    # The file the word counts read, put into Alluxio as the seed procedure does.
    labkit.kubectl("-n", ALLUXIO_NAMESPACE, "exec", "alluxio-master-0", "-c", "alluxio-master", "--",
                   "alluxio", "fs", "copyFromLocal", "/opt/alluxio/LICENSE", "/LICENSE", timeout=300)
    yield
    removed = playbook("alluxio.yml", "-e", "alluxio_state=absent")
    assert removed.returncode == 0, removed.stdout[-4000:]
