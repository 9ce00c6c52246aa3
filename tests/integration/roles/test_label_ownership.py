# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alluxio role's worker labels belong to one release: it never removes or takes over another
release's labels or labels set by hand, and a changed label key removes only its own old label.

Runs on the lab with the real Alluxio 2.9.6; lab-n2 plays the node of another release or of a person.
"""

import json

import pytest
from test_role_checks import kubectl, run_role

ANNOTATION = "dataplane-alluxio-spark/alluxio-worker-label"
OTHER = json.dumps({"label": "alluxio", "namespace": "other-ns", "release": "other"}, sort_keys=True, separators=(",", ":"))


def node(name):
    """(labels, owner annotation) of a node."""
    metadata = json.loads(kubectl("get", "node", name, "-o", "json").stdout)["metadata"]
    return metadata.get("labels", {}), metadata.get("annotations", {}).get(ANNOTATION)


def mark_as_other_release(name):
    assert kubectl("label", "node", name, "alluxio=true", "--overwrite").returncode == 0
    assert kubectl("annotate", "node", name, "%s=%s" % (ANNOTATION, OTHER), "--overwrite").returncode == 0


def unmark(name):
    kubectl("label", "node", name, "alluxio-", "alluxio-worker-")
    kubectl("annotate", "node", name, ANNOTATION + "-")


@pytest.fixture
def lab_n2_restored():
    try:
        yield
    finally:
        unmark("lab-n2")
        for key in ("alluxio", "alluxio-worker"):
            rc, out = run_role("alluxio", alluxio_state="absent", alluxio_worker_label_key=key)
            assert rc == 0, out[-3000:]
        assert kubectl("get", "nodes", "-l", "alluxio", "-o", "name").stdout == ""
        assert kubectl("get", "nodes", "-l", "alluxio-worker", "-o", "name").stdout == ""


def test_two_releases_sharing_a_label_key_neither_remove_nor_take_over(lab_n2_restored):
    mark_as_other_release("lab-n2")
    rc, out = run_role("alluxio")  # lab-n1 and lab-n3
    assert rc != 0
    assert ("Nodes lab-n2 (labelled by release other in namespace other-ns) carry the label alluxio=true but are not in "
            "alluxio_worker_nodes") in out
    rc, out = run_role("alluxio", alluxio_worker_nodes=["lab-n1", "lab-n2", "lab-n3"])
    assert rc != 0
    assert ("lab-n2 carries alluxio=true, set by release other in namespace other-ns: two releases cannot share worker "
            "nodes under one label key; give this release another alluxio_worker_label_key") in out
    labels, owner = node("lab-n2")
    assert (labels.get("alluxio"), owner) == ("true", OTHER)  # not taken over

    # Ours deployed beside it; removing ours leaves the other release's node as it was.
    unmark("lab-n2")
    rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]
    mark_as_other_release("lab-n2")
    rc, out = run_role("alluxio", alluxio_state="absent")
    assert rc == 0, out[-3000:]
    assert node("lab-n2")[0].get("alluxio") == "true" and node("lab-n2")[1] == OTHER
    for name in ("lab-n1", "lab-n3"):
        labels, owner = node(name)
        assert "alluxio" not in labels and owner is None


def test_changing_the_label_key_removes_only_our_old_label(lab_n2_restored):
    rc, out = run_role("alluxio")
    assert rc == 0, out[-3000:]
    assert json.loads(node("lab-n1")[1]) == {"label": "alluxio", "namespace": "alluxio", "release": "alluxio"}
    # Someone labels lab-n2 by hand under the old key.
    assert kubectl("label", "node", "lab-n2", "alluxio=true").returncode == 0
    rc, out = run_role("alluxio", alluxio_worker_label_key="alluxio-worker")
    assert rc == 0, out[-3000:]
    for name in ("lab-n1", "lab-n3"):
        labels, owner = node(name)
        assert labels.get("alluxio-worker") == "true" and "alluxio" not in labels
        assert json.loads(owner) == {"label": "alluxio-worker", "namespace": "alluxio", "release": "alluxio"}
    labels, owner = node("lab-n2")
    assert labels.get("alluxio") == "true" and "alluxio-worker" not in labels and owner is None
