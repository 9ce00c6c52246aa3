# -*- coding: utf-8 -*-
"""Helpers of the spark_image suite and benchmark (tests/bench/bench_spark_image.py): the role's playbook run
the way a user runs it, the build engine, each node's own runtime, and the role's report as printed."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "integration" / "lab"))
sys.path.insert(0, str(REPO / ".collections"))
import labkit  # noqa: E402

IMAGE = "spark-alluxio:4.1.4-alluxio-2.9.6"
BUILD_SOCK = labkit.STATE / "build-docker" / "run" / "docker.sock"
# The label the role puts on every image it builds, read from the role itself.
INPUTS_LABEL = yaml.safe_load((REPO / "roles" / "spark_image" / "vars" / "main.yml").read_text())["__spark_image_inputs_label"]
# Where the role keeps its archives on the controller (spark_image_work_dir's default).
ARCHIVES = Path.home() / ".cache" / "dataplane.alluxio_spark" / "spark_image" / "archives"
CLIENT_JAR = "/opt/spark/jars/alluxio-2.9.6-client.jar"
# ansible-playbook -i inventory/lab playbooks/NAME, as a user runs it
playbook = labkit.playbook


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


def built_id() -> str:
    result = build_docker("image", "inspect", "--format", "{{.Id}}", IMAGE)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def layers(ref: str) -> list[str]:
    """The image's layer diff IDs on the build engine, base first."""
    inspect = json.loads(build_docker("image", "inspect", ref).stdout)[0]
    return inspect["RootFS"]["Layers"]


def human_bytes(number: str, unit: str) -> int:
    """The report's 464.4 MiB as bytes (to its 0.1-unit precision)."""
    return int(float(number) * {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}[unit])


def layer_sizes(image: str) -> dict[str, int]:
    """Each layer's uncompressed size, read from the archive the role saved on the controller."""
    archive = ARCHIVES / (image.split(":", 1)[1] + ".tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]
        config = json.load(tar.extractfile(manifest["Config"]))
        return {diff: tar.getmember(path).size for diff, path in zip(config["rootfs"]["diff_ids"], manifest["Layers"])}


def changed_client_jar(directory: Path) -> tuple[Path, str]:
    """The image's client jar with one more entry: a different jar (and sha256), the same classes.
    Returns its path and its checksum as spark_image_alluxio_client_jar_checksum takes it."""
    source = directory / "original.jar"
    source.write_bytes(subprocess.run(["/usr/bin/docker", "-H", f"unix://{BUILD_SOCK}", "run", "--rm", "--network=none",
                                       "--entrypoint=cat", IMAGE, CLIENT_JAR],
                                      capture_output=True, check=True, timeout=120).stdout)
    changed = directory / "alluxio-2.9.6-client.jar"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(changed, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("META-INF/lab-jar-change.txt", "changed by the spark_image tests\n")
    return changed, "sha256:" + hashlib.sha256(changed.read_bytes()).hexdigest()
