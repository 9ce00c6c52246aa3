# -*- coding: utf-8 -*-
"""spark_image on the lab with one input wrong at a time: the playbook fails in its first seconds with a message
that names the input and what to do, and neither the controller's images nor the nodes' change."""

from __future__ import annotations

import os

import pytest
from sparkimagekit import INPUTS_LABEL, build_docker, node_image_ids, playbook

pytestmark = pytest.mark.usefixtures("lab_ready")

LAB_JAR_SHA256 = "c46fc4a883c10e7a1cb8acf546005a8f9227db787ef26fb902d87b6c086ce5b8"  # inventory/lab group_vars


def built_images() -> set[str]:
    listed = build_docker("image", "ls", "--quiet", "--no-trunc", "--filter", f"label={INPUTS_LABEL}")
    assert listed.returncode == 0, listed.stderr
    return set(listed.stdout.split())


@pytest.fixture
def unchanged():
    """The controller's built images and the nodes' image IDs are the same after the test as before."""
    before = (built_images(), node_image_ids())
    yield
    assert (built_images(), node_image_ids()) == before


WRONG_SHA256 = "sha256:" + "0" * 64
ABSENT = "/nonexistent-" + os.urandom(4).hex()

CASES = {
    "wrong jar checksum": (
        ["-e", f"spark_image_alluxio_client_jar_checksum={WRONG_SHA256}"],
        f"has sha256:{LAB_JAR_SHA256}, not the expected {WRONG_SHA256}. Check spark_image_alluxio_client_jar_checksum "
        "and where the jar comes from; nothing was built."),
    "missing distribution": (
        ["-e", f"spark_image_spark_source={ABSENT}/spark"],
        f"spark_image_spark_source {ABSENT}/spark does not exist on the controller: give a Spark distribution "
        "directory or tarball"),
    "missing jar": (
        ["-e", f"spark_image_alluxio_client_jar_path={ABSENT}/alluxio-client.jar"],
        f"The Alluxio client jar {ABSENT}/alluxio-client.jar does not exist on the controller"),
    "missing Alluxio image": (
        ["-e", "spark_image_alluxio_image=lab/alluxio:0.0.0-absent"],
        "The Alluxio image lab/alluxio:0.0.0-absent is not on the controller's Docker engine"),
    "engine down": (
        ["-e", f"spark_image_docker_host=unix://{ABSENT}/docker.sock"],
        f"The role builds on the controller's Docker engine at unix://{ABSENT}/docker.sock, and it did not answer: "),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_wrong_input_fails_saying_which_and_changes_nothing(case, unchanged):
    extra, message = CASES[case]
    done = playbook("spark_image.yml", *extra, timeout=300)
    assert done.returncode == 2, done.stdout[-3000:]
    # Folded YAML messages may break a line anywhere: compare with whitespace collapsed.
    assert " ".join(message.split()) in " ".join(done.stdout.split()), done.stdout[-3000:]
    # Nothing reached a node: no task ran on them beyond asking.
    assert "Copy the archive to the node" not in done.stdout
