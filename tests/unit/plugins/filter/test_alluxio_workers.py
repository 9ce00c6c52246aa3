# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The alluxio role's node decisions: which nodes to label, refuse, leave or unlabel, and the worker check."""

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.filter.alluxio_workers import (
    alluxio_worker_check,
    alluxio_worker_plan,
    owner_annotation,
)

ANNOTATION = "dataplane-alluxio-spark/alluxio-worker-label"
MINE = owner_annotation("alluxio", "alluxio", "alluxio")


def node(name, ip, labels=None, owner=None, unschedulable=False, taints=None):
    metadata = {"name": name, "labels": dict(labels or {})}
    if owner is not None:
        metadata["annotations"] = {ANNOTATION: owner}
    spec = {}
    if unschedulable:
        spec["unschedulable"] = True
    if taints:
        spec["taints"] = taints
    return {"metadata": metadata, "spec": spec, "status": {"addresses": [{"type": "Hostname", "address": name}, {"type": "InternalIP", "address": ip}]}}


def plan(nodes, requested=(), key="alluxio", value="true", release="alluxio", namespace="alluxio", deploying=True):
    return alluxio_worker_plan(nodes, list(requested), key, value, release, namespace, ANNOTATION, deploying=deploying)


def test_owner_annotation_records_release_namespace_and_key():
    assert json.loads(MINE) == {"release": "alluxio", "namespace": "alluxio", "label": "alluxio"}
    assert MINE == '{"label":"alluxio","namespace":"alluxio","release":"alluxio"}'


def test_fresh_cluster_labels_every_schedulable_node():
    nodes = [
        node("n1", "10.0.0.1"),
        node("n2", "10.0.0.2", unschedulable=True),
        node("n3", "10.0.0.3", taints=[{"key": "x", "effect": "NoSchedule"}]),
        node("n4", "10.0.0.4", taints=[{"key": "y", "effect": "PreferNoSchedule"}]),
    ]
    result = plan(nodes)
    assert result["schedulable"] == ["n1", "n4"]
    assert result["targets"] == ["n1", "n4"]
    assert result["to_label"] == ["n1", "n4"]
    assert result["workers"] == [{"name": "n1", "ip": "10.0.0.1"}, {"name": "n4", "ip": "10.0.0.4"}]
    assert (result["unknown"], result["conflicts"], result["foreign"], result["to_unlabel"]) == ([], [], [], [])


def test_second_run_changes_nothing():
    nodes = [node("n1", "10.0.0.1", {"alluxio": "true"}, MINE), node("n2", "10.0.0.2")]
    result = plan(nodes, ["n1"])
    assert (result["to_label"], result["to_unlabel"], result["foreign"]) == ([], [], [])


def test_unknown_named_node():
    assert plan([node("n1", "10.0.0.1")], ["n1", "n9"])["unknown"] == ["n9"]


def test_node_no_longer_named_is_unlabelled():
    nodes = [node("n1", "10.0.0.1", {"alluxio": "true"}, MINE), node("n2", "10.0.0.2", {"alluxio": "true"}, MINE)]
    result = plan(nodes, ["n1"])
    assert result["to_unlabel"] == [{"node": "n2", "label": "alluxio"}]
    assert result["foreign"] == []


def test_hand_labelled_named_node_is_used_but_never_owned():
    result = plan([node("n1", "10.0.0.1", {"alluxio": "true"})], ["n1"])
    assert (result["adopted"], result["to_label"], result["conflicts"]) == (["n1"], [], [])
    assert plan([node("n1", "10.0.0.1", {"alluxio": "true"})], deploying=False)["to_unlabel"] == []


def test_named_node_labelled_with_another_value_by_someone_else_is_refused():
    result = plan([node("n1", "10.0.0.1", {"alluxio": "false"})], ["n1"])
    assert result["to_label"] == []
    assert result["conflicts"] == [
        "n1 carries alluxio=false, set by someone else, but this release's workers select alluxio=true; change or remove "
        "that label (kubectl label node n1 alluxio-) or leave n1 out of alluxio_worker_nodes"
    ]


def test_unnamed_node_with_the_label_is_foreign():
    result = plan([node("n1", "10.0.0.1"), node("n2", "10.0.0.2", {"alluxio": "true"})], ["n1"])
    assert result["foreign"] == ["n2 (labelled by someone else)"]
    # Another value does not select this release's workers: not in the way.
    assert plan([node("n1", "10.0.0.1"), node("n2", "10.0.0.2", {"alluxio": "no"})], ["n1"])["foreign"] == []


def test_two_releases_sharing_a_label_key_neither_remove_nor_take_over():
    theirs = owner_annotation("other", "other-ns", "alluxio")
    nodes = [node("n1", "10.0.0.1", {"alluxio": "true"}, theirs), node("n2", "10.0.0.2")]
    # Naming their node: refused, nothing labelled over it.
    named = plan(nodes, ["n1", "n2"])
    assert named["to_label"] == ["n2"]
    assert named["conflicts"] == [
        "n1 carries alluxio=true, set by release other in namespace other-ns: two releases cannot share worker nodes "
        "under one label key; give this release another alluxio_worker_label_key"
    ]
    # Not naming it: their node would still run our workers.
    assert plan(nodes, ["n2"])["foreign"] == ["n1 (labelled by release other in namespace other-ns)"]
    # Removing ours never touches theirs.
    assert plan(nodes, deploying=False)["to_unlabel"] == []
    # The same release name in another namespace is another release.
    assert plan([node("n1", "10.0.0.1", {"alluxio": "true"}, owner_annotation("alluxio", "elsewhere", "alluxio"))], deploying=False)["to_unlabel"] == []


def test_changed_label_key_removes_only_our_old_label():
    old = owner_annotation("alluxio", "alluxio", "alluxio")
    nodes = [
        node("n1", "10.0.0.1", {"alluxio": "true"}, old),
        node("n2", "10.0.0.2", {"alluxio": "true"}),  # someone else's, under the old key
    ]
    result = plan(nodes, ["n1"], key="alluxio-worker")
    assert result["to_unlabel"] == [{"node": "n1", "label": "alluxio"}]
    assert result["to_label"] == ["n1"]
    assert result["owner_annotation"] == '{"label":"alluxio-worker","namespace":"alluxio","release":"alluxio"}'
    assert result["foreign"] == []  # n2's label is under another key now


def test_legacy_annotation_is_ours_under_the_current_key():
    result = plan([node("n1", "10.0.0.1", {"alluxio": "true"}, "alluxio")], deploying=False)
    assert result["to_unlabel"] == [{"node": "n1", "label": "alluxio"}]
    assert plan([node("n1", "10.0.0.1", {"alluxio": "true"}, "other-release")], deploying=False)["to_unlabel"] == []


def test_removal_skips_the_deploy_checks():
    nodes = [node("n1", "10.0.0.1", {"alluxio": "true"}, MINE, unschedulable=True)]
    result = plan(nodes, ["n1", "decommissioned"], deploying=False)
    assert (result["targets"], result["unknown"], result["conflicts"], result["foreign"]) == ([], [], [], [])
    assert result["to_unlabel"] == [{"node": "n1", "label": "alluxio"}]


def test_plan_wants_a_list():
    with pytest.raises(AnsibleFilterError, match="expected the list of Node resources"):
        alluxio_worker_plan({}, [], "k", "v", "r", "n", ANNOTATION)


IPS = {"n1": "10.0.0.1", "n2": "10.0.0.2", "n3": "10.0.0.3"}
GIB = 1 << 30


def report(range_, *workers, capacity=GIB):
    return {
        "range": range_,
        "total_bytes": capacity * len(workers),
        "workers": [{"name": ip, "capacity_bytes": {"MEM": capacity}} for ip in workers],
    }


def test_live_workers_match():
    result = alluxio_worker_check(report("live", "10.0.0.1", "10.0.0.3"), {}, ["n1", "n3"], IPS)
    assert (result["ok"], result["matches"], result["message"]) == (True, True, "")


def test_a_dead_worker_fails_and_is_named_as_lost():
    live = report("live", "10.0.0.1")
    lost = report("lost", "10.0.0.3")
    result = alluxio_worker_check(live, lost, ["n1", "n3"], IPS)
    assert not result["ok"]
    assert result["message"] == (
        "Alluxio's live workers do not match the labelled nodes. Missing workers (labelled, not reporting): n3 (10.0.0.3). "
        "Extra workers (reporting, not labelled): none. Lost workers (known to the master, no heartbeat): 10.0.0.3 (n3)."
    )


def test_a_report_of_all_workers_is_not_taken_for_live_ones():
    result = alluxio_worker_check(report("all", "10.0.0.1", "10.0.0.3"), {}, ["n1", "n3"], IPS)
    assert (result["ok"], result["range_ok"], result["matches"]) == (False, False, False)
    assert result["message"] == "The capacity report covers all workers, not live ones only."


def test_no_live_workers_at_all():
    empty = {"range": None, "total_bytes": 0, "workers": []}
    result = alluxio_worker_check(empty, report("lost", "10.0.0.9"), ["n1"], IPS)
    assert result["range_ok"] and not result["ok"]
    assert "Missing workers (labelled, not reporting): n1 (10.0.0.1)." in result["message"]
    assert "Lost workers (known to the master, no heartbeat): 10.0.0.9 (no such node)." in result["message"]


def test_extra_worker_and_zero_capacity():
    extra = alluxio_worker_check(report("live", "10.0.0.1", "10.0.0.99"), {}, ["n1"], IPS)
    assert extra["extra"] == ["10.0.0.99"] and "Extra workers (reporting, not labelled): 10.0.0.99." in extra["message"]
    zero = alluxio_worker_check(report("live", "10.0.0.1", "10.0.0.2", capacity=0), {}, ["n1", "n2"], IPS)
    assert zero["matches"] and not zero["ok"]
    assert zero["message"] == (
        "Alluxio reports no capacity: total 0 bytes; workers with zero capacity: 10.0.0.1, 10.0.0.2. "
        "Check alluxio_tiered_store_levels (quota) and the worker logs."
    )


def test_check_wants_a_read_report():
    with pytest.raises(AnsibleFilterError, match="the live report was not read .exec failed."):
        alluxio_worker_check({"failed": True, "msg": "exec failed"}, {}, ["n1"], IPS)


def test_a_node_whose_pods_were_replaced_is_one_lost_address_with_its_count():
    # The master keys a worker by its pod's IP too: each replaced pod of n3 left a LOST entry named 10.0.0.3.
    lost = report("lost", "10.0.0.3", "10.0.0.9", "10.0.0.3")
    result = alluxio_worker_check(report("live", "10.0.0.1"), lost, ["n1", "n3"], IPS)
    assert result["lost"] == ["10.0.0.3 (n3, 2 lost workers)", "10.0.0.9 (no such node)"]
    assert result["message"].endswith("Lost workers (known to the master, no heartbeat): 10.0.0.3 (n3, 2 lost workers), 10.0.0.9 (no such node).")
