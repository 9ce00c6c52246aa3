# -*- coding: utf-8 -*-
"""The spark_image role on the lab, run the way a user runs it:
``ansible-playbook -i inventory/lab playbooks/spark_image.yml`` with no extra variables (or the ones a test
names). Before the first run: the real Alluxio image in every node and the real Alluxio deployed (the word
counts read alluxio://.../LICENSE from it), the Spark distribution and the base images on the build engine
(tests/images/spark/prepare-lab.sh), and no Spark image anywhere. A lab that is not up is a failure, never a skip.
"""

from __future__ import annotations

import subprocess

import pytest
from sparkimagekit import INPUTS_LABEL, REPO, build_docker, labkit, playbook, remove_built_images

ALLUXIO_NAMESPACE = "alluxio"


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
