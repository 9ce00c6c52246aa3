"""Fixtures of the module tests on the lab: the real info modules, run by ansible-playbook, against the live cluster.

The lab's helpers (kubectl, waits, the busybox pod manifest) come from tests/integration/lab/labkit.py. The
cluster is the one `make lab-up` started; LAB_KUBECONFIG names its kubeconfig when it is not this checkout's
inventory/lab/kubeconfig (as for the stand-in tests). A lab that is not up is a failure, never a skip.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lab"))
import labkit  # noqa: E402

labkit.KUBECONFIG = Path(os.environ.get("LAB_KUBECONFIG", str(labkit.KUBECONFIG)))


@pytest.fixture(scope="module")
def namespace():
    """A namespace of this module's own, removed (and waited for) at the end."""
    if not labkit.KUBECONFIG.is_file():
        pytest.fail(f"the lab is not up: {labkit.KUBECONFIG} is missing. Run: make lab-up, or set LAB_KUBECONFIG")
    name = f"modexec-{uuid.uuid4().hex[:8]}"
    labkit.kubectl("create", "namespace", name)
    labkit.wait_until(lambda: labkit.kubectl("get", "serviceaccount", "default", "-n", name, check=False).returncode == 0,
                      30, 0.5, f"service account default in {name}")
    yield name
    labkit.kubectl("delete", "namespace", name, "--wait=false", check=False)
    labkit.wait_until(lambda: labkit.kubectl("get", "namespace", name, check=False).returncode != 0,
                      120, 1, f"namespace {name} to be deleted")
