#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Benchmark, on the lab (make lab-up first): putting the Spark image on the nodes with the spark_image role.

Goals (issue 9), all measured in this one run on the lab's three nodes (two Docker, one containerd), through
``ansible-playbook -i inventory/lab playbooks/spark_image.yml`` as a user runs it:

- three nodes: the role puts the image on all three in at most 1.3x its time for one node. Beside it, the
  seed's procedure: save once, then node after node copy the archive over SSH and load it (docker load, or
  ctr images import on the containerd node);
- re-run: at most 10% of the first run (the first run builds, then distributes);
- jar-only change: the bytes moved to each node are within 2x of the changed layers.

Each distribution starts with the image on the controller and on no node, and no archive saved. Prints the
figures and ratios, writes them to tests/output/bench-spark-image.json, and exits non-zero when a goal is
missed (or when a run fails).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "spark_image"))
import sparkimagekit as kit  # noqa: E402

GOALS = {"three_nodes_vs_one": 1.3, "rerun_vs_first": 0.10, "jar_change_moved_vs_changed": 2.0}
FIGURES = kit.REPO / "tests" / "output" / "bench-spark-image.json"
SSH_KEY = kit.labkit.STATE / "ssh" / "id_ed25519"
SSH_OPTIONS = ["-i", str(SSH_KEY), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "LogLevel=ERROR", "-o", "BatchMode=yes"]


def fail(message: str) -> None:
    print(f"bench_spark_image: {message}", file=sys.stderr)
    sys.exit(1)


def timed_playbook(*extra: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    done = kit.playbook("spark_image.yml", *extra)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        fail(f"ansible-playbook playbooks/spark_image.yml {' '.join(extra)} failed:\n{done.stdout[-5000:]}\n{done.stderr[-2000:]}")
    return seconds, done


def expect_rows(done: subprocess.CompletedProcess, expected: dict[str, str]) -> dict[str, list[str]]:
    """The role's report rows, each node with the status expected of it."""
    rows = kit.report_rows(done.stdout)
    statuses = {node: rows[node][2] for node in rows}
    if statuses != expected:
        fail(f"expected the report to say {expected}, it says {statuses}:\n{done.stdout[-4000:]}")
    return rows


def clear_nodes(nodes=tuple(kit.labkit.NODES)) -> None:
    """No node has the image, and the controller has no saved archive: the next distribution starts cold."""
    for node in nodes:
        kit.remove_built_images(node)
    for saved in kit.ARCHIVES.glob("*.tar"):
        saved.unlink()


def clear_build() -> None:
    """No image the role built on the controller, and no build cache: the next run builds from scratch."""
    built = ("image", "ls", "--quiet", "--no-trunc", "--filter", f"label={kit.INPUTS_LABEL}")
    for image in set(kit.build_docker(*built).stdout.split()):
        kit.build_docker("image", "rm", "--force", image)
    kit.build_docker("builder", "prune", "--all", "--force")


def seed_procedure(work: Path) -> tuple[float, list[float]]:
    """The seed's way: docker save once, then for each node in turn scp, load with its runtime, remove.
    Returns the save's seconds and each node's (copy + load) seconds."""
    archive = work / "seed.tar"
    started = time.monotonic()
    saved = kit.build_docker("image", "save", "--output", str(archive), kit.IMAGE, timeout=600)
    if saved.returncode != 0:
        fail(f"docker save failed: {saved.stderr}")
    save_seconds = time.monotonic() - started
    per_node = []
    for node, address in kit.labkit.NODES.items():
        remote = f"/var/tmp/seed-{node}.tar"
        load = ["docker", "load", "--input", remote] if kit.labkit.RUNTIMES[node] == "docker" else \
            ["ctr", "--namespace", "k8s.io", "images", "import", remote]
        started = time.monotonic()
        for command in (["scp", "-q", *SSH_OPTIONS, str(archive), f"root@{address}:{remote}"],
                        ["ssh", *SSH_OPTIONS, f"root@{address}", *load],
                        ["ssh", *SSH_OPTIONS, f"root@{address}", "rm", "-f", remote]):
            step = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
            if step.returncode != 0:
                fail(f"seed procedure on {node}: {' '.join(command)} failed: {step.stderr}")
        per_node.append(time.monotonic() - started)
    archive.unlink()
    return save_seconds, per_node


def main() -> None:
    if not kit.labkit.KUBECONFIG.is_file():
        fail(f"the lab is not up ({kit.labkit.KUBECONFIG} is missing): run make lab-up first")
    for script in ("tests/images/alluxio/load-into-lab.sh", "tests/images/spark/prepare-lab.sh"):
        subprocess.run(["bash", str(kit.REPO / script)], check=True, timeout=1800, capture_output=True)
    figures: dict[str, float] = {}

    # First run (build, then every node) and the re-run.
    clear_build()
    clear_nodes()
    figures["first_run_seconds"], done = timed_playbook()
    expect_rows(done, dict.fromkeys(kit.labkit.NODES, "loaded"))
    figures["rerun_seconds"], done = timed_playbook()
    expect_rows(done, dict.fromkeys(kit.labkit.NODES, "present"))
    image = kit.built_id()

    # The role on three nodes, then on one (the image already built: distribution alone). The limit keeps
    # localhost, where the preflight runs.
    clear_nodes()
    figures["role_three_nodes_seconds"], done = timed_playbook()
    rows = expect_rows(done, dict.fromkeys(kit.labkit.NODES, "loaded"))
    figures["role_bytes_moved_per_node"] = kit.human_bytes(rows["lab-n1"][3], rows["lab-n1"][4])
    clear_nodes(["lab-n1"])
    figures["role_one_node_seconds"], done = timed_playbook("--limit", "localhost,lab-n1")
    expect_rows(done, {"lab-n1": "loaded"})
    if kit.node_image_ids() != dict.fromkeys(kit.labkit.NODES, image):
        fail(f"after the role's runs the nodes have {kit.node_image_ids()}, the controller built {image}")

    # The seed's procedure, node after node, from the same start.
    clear_nodes()
    with tempfile.TemporaryDirectory(prefix="bench-spark-image-") as work:
        save_seconds, per_node = seed_procedure(Path(work))
    if kit.node_image_ids() != dict.fromkeys(kit.labkit.NODES, image):
        fail(f"after the seed procedure the nodes have {kit.node_image_ids()}, the controller built {image}")
    figures["seed_save_seconds"] = save_seconds
    figures["seed_one_node_seconds"] = save_seconds + per_node[0]
    figures["seed_three_nodes_seconds"] = save_seconds + sum(per_node)

    # Only the client jar changes: rebuilt, and each node gets only the layers it lacks.
    old_layers = kit.layers(kit.IMAGE)
    with tempfile.TemporaryDirectory(prefix="bench-spark-image-") as work:
        jar, checksum = kit.changed_client_jar(Path(work))
        figures["jar_change_seconds"], done = timed_playbook(
            "-e", f"spark_image_alluxio_client_jar_path={jar}", "-e", f"spark_image_alluxio_client_jar_checksum={checksum}")
    rows = expect_rows(done, dict.fromkeys(kit.labkit.NODES, "loaded"))
    new_image = kit.built_id()
    sizes = kit.layer_sizes(new_image)
    figures["image_bytes"] = sum(sizes[diff] for diff in kit.layers(kit.IMAGE))
    figures["jar_change_changed_layer_bytes"] = sum(sizes[diff] for diff in kit.layers(kit.IMAGE) if diff not in old_layers)
    figures["jar_change_max_bytes_moved_per_node"] = max(kit.human_bytes(row[3], row[4]) for row in rows.values())

    ratios = {
        "three_nodes_vs_one": figures["role_three_nodes_seconds"] / figures["role_one_node_seconds"],
        "rerun_vs_first": figures["rerun_seconds"] / figures["first_run_seconds"],
        "jar_change_moved_vs_changed": figures["jar_change_max_bytes_moved_per_node"] / figures["jar_change_changed_layer_bytes"],
        "role_vs_seed_three_nodes": figures["role_three_nodes_seconds"] / figures["seed_three_nodes_seconds"],
        "seed_three_nodes_vs_one": figures["seed_three_nodes_seconds"] / figures["seed_one_node_seconds"],
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps({"figures": figures, "ratios": ratios, "goals": GOALS}, indent=2, sort_keys=True) + "\n")

    mib = 1024 ** 2
    print("spark_image on the lab's three nodes (lab-n1, lab-n2: Docker; lab-n3: containerd), one run:")
    print(f"  first run (build + 3 nodes)      {figures['first_run_seconds']:7.1f} s")
    print(f"  re-run (nothing to do)           {figures['rerun_seconds']:7.1f} s")
    print(f"  role, 3 nodes (image built)      {figures['role_three_nodes_seconds']:7.1f} s"
          f"  ({figures['role_bytes_moved_per_node'] / mib:.1f} MiB to each node)")
    print(f"  role, 1 node                     {figures['role_one_node_seconds']:7.1f} s")
    print(f"  seed, 3 nodes one after another  {figures['seed_three_nodes_seconds']:7.1f} s"
          f"  (save {save_seconds:.1f} s, then {', '.join(f'{s:.1f}' for s in per_node)} s, {figures['image_bytes'] / mib:.1f} MiB each)")
    print(f"  seed, 1 node                     {figures['seed_one_node_seconds']:7.1f} s")
    print(f"  jar-only change: at most {figures['jar_change_max_bytes_moved_per_node'] / mib:.1f} MiB moved to a node, "
          f"changed layers {figures['jar_change_changed_layer_bytes'] / mib:.1f} MiB, image {figures['image_bytes'] / mib:.1f} MiB")
    missed = []
    for name, value in ratios.items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else (f"  goal <= {goal}: " + ("met" if value <= goal else "MISSED"))
        print(f"  ratio {name:28} {value:6.3f}{verdict}")
        if goal is not None and value > goal:
            missed.append(name)
    print(f"figures: {FIGURES}")
    if missed:
        fail("goal(s) missed: " + ", ".join(missed))


if __name__ == "__main__":
    main()
