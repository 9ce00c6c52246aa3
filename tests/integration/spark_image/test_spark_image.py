# -*- coding: utf-8 -*-
"""spark_image on the lab: build once, distribute in archive mode to all three nodes, prove on each node that
the image runs a real Spark word count over the lab's real Alluxio, then re-run (nothing moves) and change only
the client jar (rebuilt and re-distributed, sending only the layers a node lacks). The tests run in order."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sparkimagekit import (
    ARCHIVES,
    IMAGE,
    build_docker,
    built_id,
    changed_client_jar,
    human_bytes,
    labkit,
    layer_sizes,
    layers,
    node_image_ids,
    playbook,
    recap,
    remove_built_images,
    report_rows,
)

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_wordcount import parse_wordcount

pytestmark = pytest.mark.usefixtures("lab_ready")

ALLUXIO_LICENSE = "alluxio://alluxio-master-0.alluxio.svc.cluster.local:19998/LICENSE"
EXAMPLES_JAR = "/opt/spark/examples/jars/spark-examples-standin_2.13-4.1.4.jar"


def test_first_run_builds_and_loads_every_node():
    started = time.monotonic()
    done = playbook("spark_image.yml")
    record_figure("first_run_seconds", round(time.monotonic() - started, 1))
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    image = built_id()
    assert node_image_ids() == dict.fromkeys(labkit.NODES, image)
    rows = report_rows(done.stdout)
    assert sorted(rows) == sorted(labkit.NODES), done.stdout[-4000:]
    for node, row in rows.items():
        assert row[1:3] == [labkit.RUNTIMES[node], "loaded"], (node, row)
    # Spark's classpath loaded the client from the jar the role put in jars/ (the role's own check, after the build)
    assert "alluxio.hadoop.FileSystem loads from /opt/spark/jars/alluxio-2.9.6-client.jar" in done.stdout
    # no archive is left on the nodes
    for node in labkit.NODES:
        left = labkit.ssh_node(node, "sh", "-c", "ls /var/tmp/*.tar 2>/dev/null || true")
        assert left.stdout.strip() == b"", (node, left.stdout)


def word_count_pod(node: str) -> str:
    name = f"wordcount-{node}"
    return json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {
            "nodeSelector": {"kubernetes.io/hostname": node},
            "restartPolicy": "Never",
            "containers": [{
                "name": "spark", "image": IMAGE, "imagePullPolicy": "Never",
                # Spark's entrypoint runs anything that is not driver/executor as it is
                "args": ["/opt/spark/bin/spark-submit", "--master", "local[1]",
                         "--conf", "spark.hadoop.fs.alluxio.impl=alluxio.hadoop.FileSystem",
                         "--conf", "spark.driver.memory=512m",
                         "--class", "org.apache.spark.examples.JavaWordCount", EXAMPLES_JAR, ALLUXIO_LICENSE],
            }],
        },
    })


def test_word_count_over_alluxio_on_every_node():
    text = labkit.kubectl("-n", "alluxio", "exec", "alluxio-master-0", "-c", "alluxio-master", "--",
                          "cat", "/opt/alluxio/LICENSE").stdout
    # As Spark reads it: lines split on "\n" (no empty line after the last newline), each split on single spaces.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    expected = Counter(word for line in lines for word in line.split(" "))
    for node in labkit.NODES:
        labkit.kubectl("delete", "pod", f"wordcount-{node}", "--ignore-not-found", "--wait=true")
        labkit.kubectl("apply", "-f", "-", input=word_count_pod(node))

    def finished():
        phases = {node: labkit.kubectl_json("get", "pod", f"wordcount-{node}")["status"].get("phase") for node in labkit.NODES}
        return phases if all(phase in ("Succeeded", "Failed") for phase in phases.values()) else None

    phases = labkit.wait_until(finished, timeout=600, interval=3, what="the word-count pods to finish")
    try:
        for node in labkit.NODES:
            pod = labkit.kubectl_json("get", "pod", f"wordcount-{node}")
            log = labkit.kubectl("logs", f"wordcount-{node}").stdout
            assert phases[node] == "Succeeded", (node, log[-3000:])
            assert pod["spec"]["nodeName"] == node
            assert parse_wordcount(log) == dict(expected), node
    finally:
        for node in labkit.NODES:
            labkit.kubectl("delete", "pod", f"wordcount-{node}", "--ignore-not-found", "--wait=false")


def test_rerun_changes_nothing_and_moves_nothing():
    before = node_image_ids()
    started = time.monotonic()
    done = playbook("spark_image.yml")
    record_figure("rerun_seconds", round(time.monotonic() - started, 1))
    assert done.returncode == 0, done.stdout[-6000:]
    assert {host: counts["changed"] for host, counts in recap(done.stdout).items()} == \
        {"localhost": 0, "lab-n1": 0, "lab-n2": 0, "lab-n3": 0}
    rows = report_rows(done.stdout)
    for node, row in rows.items():
        assert row[1:3] == [labkit.RUNTIMES[node], "present"], (node, row)
    assert node_image_ids() == before


def test_jar_only_change_rebuilds_and_sends_only_missing_layers(tmp_path):
    old_layers = layers(IMAGE)
    changed, checksum = changed_client_jar(tmp_path)
    before = node_image_ids()
    jar_vars = ("-e", f"spark_image_alluxio_client_jar_path={changed}", "-e", f"spark_image_alluxio_client_jar_checksum={checksum}")
    # Check mode first: it says every node would load, and changes no image anywhere.
    checked = playbook("spark_image.yml", "--check", *jar_vars)
    assert checked.returncode == 0, checked.stdout[-6000:]
    assert {node: row[2:4] for node, row in report_rows(checked.stdout).items()} == dict.fromkeys(labkit.NODES, ["would", "load"])
    assert node_image_ids() == before and built_id() == before["lab-n1"]
    done = playbook("spark_image.yml", *jar_vars)
    assert done.returncode == 0, done.stdout[-6000:]
    image = built_id()
    assert image != before["lab-n1"]
    assert node_image_ids() == dict.fromkeys(labkit.NODES, image)
    new_layers = layers(IMAGE)
    changed_layers = [diff for diff in new_layers if diff not in old_layers]
    assert changed_layers and len(changed_layers) < len(new_layers)
    rows = report_rows(done.stdout)
    assert sorted(rows) == sorted(labkit.NODES)
    sizes = layer_sizes(image)
    changed_bytes = sum(sizes[diff] for diff in changed_layers)
    for node, row in rows.items():
        assert row[1:3] == [labkit.RUNTIMES[node], "loaded"], (node, row)
        moved = human_bytes(row[3], row[4])
        # Only the layers from the first changed one up (a docker-archive sends the rest of the chain), never the
        # base and never the whole image: within 2x of the changed layers (the goal).
        assert int(row[5]) < len(new_layers), (node, row)
        assert changed_bytes <= moved <= 2 * changed_bytes, (node, moved, changed_bytes)
    record_figure("jar_change_bytes_moved_per_node", human_bytes(rows["lab-n1"][3], rows["lab-n1"][4]))
    record_figure("jar_change_changed_layer_bytes", changed_bytes)
    record_figure("image_bytes", sum(sizes[diff] for diff in new_layers))


def record_figure(name: str, value) -> None:
    """Figures for the README, gathered into tests/output/spark-image-figures.json."""
    figures_path = labkit.REPO / "tests" / "output" / "spark-image-figures.json"
    figures_path.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(figures_path.read_text()) if figures_path.exists() else {}
    figures[name] = value
    figures_path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"FIGURE {name}: {value}")


def lab_sshd(node: str, action: str) -> None:
    subprocess.run(["bash", str(labkit.REPO / "tests" / "lab" / "lab.sh"), "sshd", node, action],
                   check=True, capture_output=True, timeout=60)


def test_a_node_lost_mid_run_is_named_and_the_rerun_finishes_only_it(tmp_path):
    # Every node lacks the image again, so that all three take part.
    for node in labkit.NODES:
        remove_built_images(node)
    for saved in ARCHIVES.glob("*.tar"):
        saved.unlink()

    def saving():
        return [path.name for path in ARCHIVES.glob("*.tar") if re.fullmatch(r"[0-9a-f]{64}\.tar", path.name)]

    log = tmp_path / "ansible-playbook.log"
    with log.open("w") as output:  # a file, not a pipe: nobody reads while the test waits
        run = subprocess.Popen([str(labkit.VENV_BIN / "ansible-playbook"), "-i", "inventory/lab", "playbooks/spark_image.yml"],
                               cwd=labkit.REPO, env=labkit.ansible_env(), stdout=output, stderr=subprocess.STDOUT)
        try:
            # Mid-run: every node has been asked what it has, and the controller is saving the image (once).
            labkit.wait_until(saving, timeout=600, interval=0.5, what="the role to save the image on the controller")
            lab_sshd("lab-n2", "stop")
            run.wait(timeout=900)
        finally:
            if run.poll() is None:
                run.kill()
            lab_sshd("lab-n2", "start")
    out = log.read_text()
    assert run.returncode != 0, out[-4000:]
    assert f"The image {IMAGE} did not reach lab-n2 (see the report above)" in out, out[-4000:]
    rows = report_rows(out)
    assert rows["lab-n2"][1:3] == ["-", "unreachable"], rows
    assert rows["lab-n1"][1:3] == ["docker", "loaded"] and rows["lab-n3"][1:3] == ["containerd", "loaded"], rows
    image = built_id()
    assert node_image_ids() == {"lab-n1": image, "lab-n2": None, "lab-n3": image}

    done = playbook("spark_image.yml")
    assert done.returncode == 0, done.stdout[-6000:]
    rows = report_rows(done.stdout)
    assert {node: row[2] for node, row in rows.items()} == {"lab-n1": "present", "lab-n2": "loaded", "lab-n3": "present"}
    assert node_image_ids() == dict.fromkeys(labkit.NODES, image)


REGISTRY_VARS = ("-e", "spark_image_distribution=registry", "-e", "spark_image_registry={{ lab_registry }}",
                 "-e", "spark_image_registry_username={{ lab_registry_username }}")


def lab_registry() -> tuple[str, str]:
    """The lab registry's address and password (tests/lab/lib/registry.sh)."""
    settings = (labkit.INVENTORY / "group_vars" / "all" / "lab_connection.yml").read_text()
    address = re.search(r"^lab_registry: (\S+)$", settings, re.MULTILINE).group(1)
    password_file = re.search(r"^lab_registry_password_file: (\S+)$", settings, re.MULTILINE).group(1)
    return address, Path(password_file).read_text().strip()


def test_registry_mode_refuses_a_wrong_password_without_showing_it():
    wrong = "wrong-" + os.urandom(6).hex()
    done = playbook("spark_image.yml", *REGISTRY_VARS, "-e", f"spark_image_registry_password={wrong}")
    assert done.returncode != 0
    address = lab_registry()[0]
    assert (f"Could not log in to the registry {address} as lab: check spark_image_registry_username and "
            "spark_image_registry_password") in done.stdout, done.stdout[-4000:]
    assert wrong not in done.stdout + done.stderr


def test_registry_mode_pushes_and_a_node_pulls_with_its_own_secret():
    address, password = lab_registry()
    done = playbook("spark_image.yml", *REGISTRY_VARS, "-e", f"spark_image_registry_password={password}")
    assert done.returncode == 0, done.stdout[-6000:]
    assert password not in done.stdout + done.stderr
    # The controller keeps no credentials for the registry.
    config = Path.home() / ".docker" / "config.json"
    assert not config.exists() or address not in json.loads(config.read_text()).get("auths", {})
    again = playbook("spark_image.yml", *REGISTRY_VARS, "-e", f"spark_image_registry_password={password}")
    assert again.returncode == 0 and recap(again.stdout)["localhost"]["changed"] == 0, again.stdout[-4000:]
    # Nodes pull it (imagePullPolicy Always) with an imagePullSecret, as on a cluster with a registry: a Docker
    # node through dockershim, and the containerd node through containerd's CRI.
    ref = f"{address}/{IMAGE}"
    pushed_id = build_docker("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip()
    assert pushed_id.startswith("sha256:"), pushed_id
    labkit.kubectl("delete", "secret", "lab-registry", "--ignore-not-found")
    labkit.kubectl("create", "secret", "docker-registry", "lab-registry", f"--docker-server={address}",
                   "--docker-username=lab", f"--docker-password={password}")
    pods = {node: f"pull-from-registry-{node}" for node in ("lab-n1", "lab-n3")}
    for node, name in pods.items():
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
               "spec": {"nodeSelector": {"kubernetes.io/hostname": node}, "restartPolicy": "Never",
                        "imagePullSecrets": [{"name": "lab-registry"}],
                        "containers": [{"name": "spark", "image": ref, "imagePullPolicy": "Always",
                                        "args": ["ls", "/opt/spark/jars/alluxio-2.9.6-client.jar"]}]}}
        labkit.kubectl("delete", "pod", name, "--ignore-not-found", "--wait=true")
        labkit.kubectl("apply", "-f", "-", input=json.dumps(pod))

    def finished():
        phases = {name: labkit.kubectl_json("get", "pod", name)["status"].get("phase") for name in pods.values()}
        return phases if all(phase in ("Succeeded", "Failed") for phase in phases.values()) else None

    try:
        phases = labkit.wait_until(finished, timeout=300, interval=2, what="the pods pulling from the registry to finish")
        for node, name in pods.items():
            assert phases[name] == "Succeeded", labkit.kubectl("describe", "pod", name).stdout[-3000:]
            assert labkit.kubectl("logs", name).stdout.strip() == "/opt/spark/jars/alluxio-2.9.6-client.jar"
            assert labkit.node_image_id(node, ref) == pushed_id, node
    finally:
        for name in pods.values():
            labkit.kubectl("delete", "pod", name, "--ignore-not-found", "--wait=false")
        labkit.kubectl("delete", "secret", "lab-registry", "--ignore-not-found")
