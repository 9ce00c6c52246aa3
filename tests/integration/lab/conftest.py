"""Fixtures of the lab tier: a real three-node Kubernetes v1.20 cluster started by tests/lab/lab.sh up.

These tests never skip because the lab is missing: a lab that is not up is a failure (run `make lab-up`).
"""

from __future__ import annotations

import os
import uuid

import pytest
from labkit import KUBECONFIG, NODES, STATE, kubectl, wait_until


@pytest.fixture(scope="session")
def lab():
    """Fails (never skips) unless the lab is up with its three nodes registered."""
    if os.geteuid() != 0:
        pytest.fail("the lab tests need root (they talk to the nodes' docker sockets and sshd)")
    if not KUBECONFIG.is_file():
        pytest.fail(f"the lab is not up: {KUBECONFIG} is missing. Run: make lab-up (bash tests/lab/lab.sh up)")
    result = kubectl("get", "nodes", "-o", "name", check=False, timeout=30)
    if result.returncode != 0:
        pytest.fail(f"the lab is not reachable ({result.stderr.strip()}). Run: bash tests/lab/lab.sh status")
    names = sorted(line.split("/", 1)[1] for line in result.stdout.split())
    if names != sorted(NODES):
        pytest.fail(f"the lab has nodes {names}, expected {sorted(NODES)}")
    return {"kubeconfig": KUBECONFIG, "state": STATE}


@pytest.fixture
def namespace(lab):
    """A fresh namespace per test, deleted afterwards (without waiting)."""
    name = f"labtest-{uuid.uuid4().hex[:8]}"
    kubectl("create", "namespace", name)
    # The service account controller must have made the default account before pods can be created.
    wait_until(lambda: kubectl("get", "serviceaccount", "default", "-n", name, check=False).returncode == 0,
               30, 0.5, f"service account default in {name}")
    yield name
    kubectl("delete", "namespace", name, "--wait=false", check=False)
