# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""node_image_info against what the lab's real runtimes printed (fixtures/node_image_info/PROVENANCE.md): Docker
20.10.24 on lab-n1 and containerd 1.6.20 on lab-n3, each holding the Spark image the spark_image role built.

Only the commands are scripted: a node is a table of argv -> (rc, stdout, stderr) taken from those captures, and
each test also checks which commands the module ran, since running fewer of them is what it is for."""

import json
import os

import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataplane.alluxio_spark.plugins.modules import node_image_info
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.module_run import run_module

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "node_image_info")
REF = "spark-alluxio:4.1.4-alluxio-2.9.6"
IMAGE_ID = "sha256:885774da7c231e352bb101f808721ac248354eaeaafef170975b9a2ac828590d"
OTHER_ID = "sha256:" + "1" * 64
MANIFEST = "sha256:886f95a2b8c3147e5455d02bc3e98f8f3ae657f6d17a275279396eae4c1e8430"
CTR = ("ctr", "--namespace", "k8s.io")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return handle.read()


DOCKER_ALL = fixture("docker-image-inspect_all_docker-20.10.24.json")
DOCKER_IDS = sorted(image["Id"] for image in json.loads(DOCKER_ALL))
DOCKER_NODE = {
    ("docker", "image", "inspect", REF): (0, fixture("docker-image-inspect_spark_docker-20.10.24.json"), ""),
    ("docker", "image", "ls", "--quiet", "--no-trunc"): (0, "\n".join(DOCKER_IDS + DOCKER_IDS[:1]) + "\n", ""),
    ("docker", "image", "inspect") + tuple(DOCKER_IDS): (0, DOCKER_ALL, ""),
}
CONTAINERD_NODE = {
    CTR + ("images", "ls"): (0, fixture("ctr-images-ls_containerd-1.6.20.txt"), ""),
    CTR + ("content", "get", MANIFEST): (0, fixture("ctr-content-get_manifest_containerd-1.6.20.json"), ""),
    CTR + ("content", "ls", "--quiet"): (0, fixture("ctr-content-ls-quiet_containerd-1.6.20.txt"), ""),
}


@pytest.fixture
def node(monkeypatch):
    """Plays a node: ``node.commands`` is its table, ``node.ran`` the argvs the module ran, in order."""
    class Node(object):
        commands = {}
        ran = []

    def run_command(self, args, **kwargs):
        Node.ran.append(tuple(args))
        if tuple(args) not in Node.commands:
            return 127, "", "%s: not scripted for this node" % args[0]
        return Node.commands[tuple(args)]

    monkeypatch.setattr(AnsibleModule, "run_command", run_command)
    Node.ran = []
    return Node


def run(args, capsys, check_mode=False):
    return run_module(node_image_info, args, capsys, check_mode)


# Docker ---------------------------------------------------------------------------------------------------


def test_docker_node_with_the_image_runs_one_command(node, capsys):
    node.commands = DOCKER_NODE
    result = run({"runtime": "docker", "ref": REF, "image_id": IMAGE_ID}, capsys)
    assert (result["present"], result["image_id"], result["runtime_ref"]) == (True, IMAGE_ID, REF)
    assert (result["present_chains"], result["present_blobs"], result["changed"]) == ([], [], False)
    assert node.ran == [("docker", "image", "inspect", REF)]


def test_docker_node_with_another_image_under_the_ref_reports_its_chains(node, capsys):
    node.commands = DOCKER_NODE
    result = run({"runtime": "docker", "ref": REF, "image_id": OTHER_ID}, capsys)
    assert (result["present"], result["image_id"]) == (False, IMAGE_ID)
    images = {image["Id"]: image["RootFS"]["Layers"] for image in json.loads(DOCKER_ALL)}
    assert sorted(result["present_chains"]) == sorted(images.values())
    assert len(result["present_chains"]) == 4
    assert images[IMAGE_ID] in result["present_chains"]
    assert node.ran == [("docker", "image", "inspect", REF), ("docker", "image", "ls", "--quiet", "--no-trunc"),
                        ("docker", "image", "inspect") + tuple(DOCKER_IDS)]


def test_docker_node_without_the_ref(node, capsys):
    node.commands = dict(DOCKER_NODE)
    node.commands[("docker", "image", "inspect", "lab/spark:missing")] = (
        1, "[]\n", fixture("docker-image-inspect_missing_docker-20.10.24.stderr"))
    result = run({"runtime": "docker", "ref": "lab/spark:missing", "image_id": IMAGE_ID, "with_contents": False}, capsys)
    assert (result["present"], result["image_id"], result["present_chains"]) == (False, "", [])
    assert node.ran == [("docker", "image", "inspect", "lab/spark:missing")]


def test_docker_node_with_no_images(node, capsys):
    node.commands = {("docker", "image", "inspect", REF): (1, "[]\n", "Error: No such image: " + REF + "\n"),
                     ("docker", "image", "ls", "--quiet", "--no-trunc"): (0, "", "")}
    result = run({"runtime": "docker", "ref": REF, "image_id": IMAGE_ID}, capsys)
    assert (result["present"], result["present_chains"]) == (False, [])


def test_docker_engine_down_fails_with_its_words(node, capsys):
    down = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"
    node.commands = {("docker", "image", "inspect", REF): (1, "", down)}
    result = run({"runtime": "docker", "ref": REF, "image_id": IMAGE_ID}, capsys)
    assert result["failed"] is True
    assert result["msg"] == "docker image inspect %s exited 1: %s" % (REF, down.strip())


def test_docker_cli_missing_fails(node, capsys):
    node.commands = {}
    result = run({"runtime": "docker", "ref": REF, "image_id": IMAGE_ID, "docker_binary": "/opt/no/docker"}, capsys)
    assert result["failed"] is True
    assert result["msg"].startswith("/opt/no/docker image inspect %s exited 127: " % REF)


# containerd -----------------------------------------------------------------------------------------------


def test_containerd_node_with_the_image_reads_its_manifest(node, capsys):
    node.commands = CONTAINERD_NODE
    result = run({"runtime": "containerd", "ref": REF, "image_id": IMAGE_ID}, capsys)
    assert (result["present"], result["image_id"]) == (True, IMAGE_ID)
    assert result["runtime_ref"] == "docker.io/library/" + REF
    assert (result["present_chains"], result["present_blobs"]) == ([], [])
    assert node.ran == [CTR + ("images", "ls"), CTR + ("content", "get", MANIFEST)]


def test_containerd_node_lacking_the_image_lists_its_blobs(node, capsys):
    node.commands = CONTAINERD_NODE
    result = run({"runtime": "containerd", "ref": REF, "image_id": OTHER_ID}, capsys)
    blobs = fixture("ctr-content-ls-quiet_containerd-1.6.20.txt").split()
    assert (result["present"], result["image_id"], result["present_blobs"]) == (False, IMAGE_ID, blobs)
    assert len(blobs) == 22 and MANIFEST in blobs and IMAGE_ID in blobs
    assert node.ran[-1] == CTR + ("content", "ls", "--quiet")


def test_containerd_node_without_the_ref_reads_no_manifest(node, capsys):
    node.commands = CONTAINERD_NODE
    result = run({"runtime": "containerd", "ref": "lab/spark:absent", "image_id": IMAGE_ID, "with_contents": False,
                  "namespace": "k8s.io"}, capsys)
    assert (result["present"], result["image_id"], result["runtime_ref"]) == (False, "", "docker.io/lab/spark:absent")
    assert node.ran == [CTR + ("images", "ls")]


def test_containerd_namespace_and_binary_are_used(node, capsys):
    node.commands = {("/usr/local/bin/ctr", "--namespace", "lab") + argv[3:]: out for argv, out in CONTAINERD_NODE.items()}
    result = run({"runtime": "containerd", "ref": REF, "image_id": IMAGE_ID, "ctr_binary": "/usr/local/bin/ctr",
                  "namespace": "lab"}, capsys)
    assert result["present"] is True


def test_containerd_garbage_listing_fails_clearly(node, capsys):
    node.commands = {CTR + ("images", "ls"): (0, "ctr: not what you think\n", "")}
    result = run({"runtime": "containerd", "ref": REF, "image_id": IMAGE_ID}, capsys)
    assert result["failed"] is True
    assert result["msg"] == ("ctr images ls: not the output of ctr images ls: the first line should start with "
                             "REF TYPE DIGEST, got 'ctr: not what you think'")


def test_no_image_id_is_never_present(node, capsys):
    node.commands = DOCKER_NODE
    result = run({"runtime": "docker", "ref": REF, "with_contents": False}, capsys)
    assert (result["present"], result["image_id"]) == (False, IMAGE_ID)


def test_invalid_ref_fails(node, capsys):
    node.commands = CONTAINERD_NODE
    result = run({"runtime": "containerd", "ref": "Lab/Spark", "image_id": IMAGE_ID}, capsys)
    assert result["failed"] is True
    assert result["msg"] == "ref: invalid image reference 'Lab/Spark': repository name must be lowercase"
    assert node.ran == []


def test_check_mode_reads_the_same(node, capsys):
    node.commands = CONTAINERD_NODE
    result = run({"runtime": "containerd", "ref": REF, "image_id": IMAGE_ID}, capsys, check_mode=True)
    assert (result["present"], result["changed"]) == (True, False)


def test_every_returned_key_is_documented(node, capsys):
    node.commands = DOCKER_NODE
    result = run({"runtime": "docker", "ref": REF, "image_id": OTHER_ID}, capsys)
    documented = set(yaml.safe_load(node_image_info.RETURN))
    assert set(result) - {"changed", "invocation"} == documented
