# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decisions of the alluxio role about worker nodes, kept out of Jinja so they are unit tested.

``alluxio_worker_plan`` reads the cluster's nodes and says which to label, which to leave, which
refuse the deployment, and which labels the role set earlier and must now remove.
``alluxio_worker_check`` compares Alluxio's live and lost workers with the labelled nodes.
Docs are in the sidecar YAML files beside this one.
"""

import collections
import json

from ansible.errors import AnsibleFilterError

BLOCKING_TAINT_EFFECTS = ("NoSchedule", "NoExecute")


def _owner(release, namespace, label_key):
    return {"release": release, "namespace": namespace, "label": label_key}


def owner_annotation(release, namespace, label_key):
    """The annotation value that marks a node as labelled by this release (compact, stable JSON)."""
    return json.dumps(_owner(release, namespace, label_key), sort_keys=True, separators=(",", ":"))


def _read_owner(value, namespace, label_key):
    """The owner recorded on a node, or None. 0.1.0 recorded the bare release name."""
    if value is None:
        return None
    try:
        owner = json.loads(value)
    except ValueError:
        owner = None
    if isinstance(owner, dict) and {"release", "namespace", "label"} <= set(owner):
        return owner
    # A 0.1.0 annotation: the release name alone, set with the role's namespace and label key of the time.
    return _owner(value, namespace, label_key)


def _internal_ip(node):
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return address.get("address", "")
    return ""


def _schedulable(node):
    spec = node.get("spec") or {}
    if spec.get("unschedulable"):
        return False
    return not any(taint.get("effect") in BLOCKING_TAINT_EFFECTS for taint in spec.get("taints") or [])


def alluxio_worker_plan(nodes, requested, label_key, label_value, release, namespace, annotation, deploying=True):
    """What the role does with each node; see alluxio_worker_plan.yml."""
    if not isinstance(nodes, list):
        raise AnsibleFilterError("alluxio_worker_plan: expected the list of Node resources, got %s" % type(nodes).__name__)
    label_value = str(label_value)
    me = _owner(release, namespace, label_key)
    ips, schedulable, by_name = {}, [], {}
    for node in nodes:
        name = node["metadata"]["name"]
        by_name[name] = node
        ips[name] = _internal_ip(node)
        if _schedulable(node):
            schedulable.append(name)
    requested = list(requested or [])
    targets = sorted(requested if requested else schedulable) if deploying else []
    unknown = [name for name in requested if name not in by_name] if deploying else []

    to_label, adopted, conflicts, foreign, to_unlabel = [], [], [], [], []
    for name in sorted(by_name):
        metadata = by_name[name]["metadata"]
        labels = metadata.get("labels") or {}
        owner = _read_owner((metadata.get("annotations") or {}).get(annotation), namespace, label_key)
        ours = owner is not None and owner["release"] == release and owner["namespace"] == namespace
        theirs = owner is not None and not ours  # recorded by another release
        if ours and (name not in targets or owner["label"] != label_key):
            # Our label, no longer wanted on this node or under an old key: remove exactly what we set.
            to_unlabel.append({"node": name, "label": owner["label"]})
        if label_key not in labels:
            if name in targets:
                to_label.append(name)
            continue
        owned_by_me = owner == me
        value = labels[label_key]
        if owned_by_me:
            if name in targets and value != label_value:
                to_label.append(name)  # our own label with an old value: set it again
            continue
        if ours and name in targets and value == label_value:
            to_label.append(name)  # moved to this key by hand while we recorded an older one: record it anew
            continue
        # Not our label (ours under this key returned above): another release's, or set by hand.
        who = "release %s in namespace %s" % (owner["release"], owner["namespace"]) if theirs else "someone else"
        if name in targets:
            if theirs:
                conflicts.append(
                    "%s carries %s=%s, set by %s: two releases cannot share worker nodes under one label key; "
                    "give this release another alluxio_worker_label_key" % (name, label_key, value, who)
                )
            elif value != label_value:
                conflicts.append(
                    "%s carries %s=%s, set by %s, but this release's workers select %s=%s; change or remove that label "
                    "(kubectl label node %s %s-) or leave %s out of alluxio_worker_nodes"
                    % (name, label_key, value, who, label_key, label_value, name, label_key, name)
                )
            elif owner is None:
                adopted.append(name)  # labelled by hand as the role would: used, never removed
        elif deploying and value == label_value:
            foreign.append("%s (labelled by %s)" % (name, who))
    return {
        "ips": ips,
        "schedulable": schedulable,
        "targets": targets,
        "workers": [{"name": name, "ip": ips.get(name, "")} for name in targets],
        "unknown": unknown,
        "to_label": to_label,
        "adopted": adopted,
        "conflicts": conflicts,
        "foreign": foreign,
        "to_unlabel": to_unlabel,
        "owner_annotation": owner_annotation(release, namespace, label_key),
    }


def _worker_names(report):
    return [worker["name"] for worker in (report or {}).get("workers") or []]


def alluxio_worker_check(live, lost, targets, ips):
    """Compare the live (and lost) workers with the labelled nodes; see alluxio_worker_check.yml."""
    if not isinstance(live, dict) or "workers" not in live:
        raise AnsibleFilterError("alluxio_worker_check: the live report was not read (%s)" % (live or {}).get("msg", "no result"))
    node_of = {ip: name for name, ip in ips.items()}
    expected = {ips[name]: name for name in targets}
    reported = _worker_names(live)
    # "No workers found." has no header: an empty report of any range is an empty live set.
    range_ok = live.get("range") == "live" or (live.get("range") is None and not reported)
    missing = ["%s (%s)" % (expected[ip], ip) for ip in sorted(expected, key=lambda ip: expected[ip]) if ip not in reported]
    extra = sorted(ip for ip in reported if ip not in expected)
    # A worker's identity includes its pod's IP, so every replaced pod of a node leaves one more LOST entry
    # under the node's address: name each address once, with how many entries it has.
    lost_count = collections.Counter(_worker_names(lost))
    lost_names = [
        "%s (%s%s)" % (ip, node_of.get(ip, "no such node"), ", %d lost workers" % lost_count[ip] if lost_count[ip] > 1 else "")
        for ip in sorted(lost_count)
    ]
    empty = sorted(worker["name"] for worker in live.get("workers") or [] if sum((worker.get("capacity_bytes") or {}).values()) == 0)
    problems = []
    if not range_ok:
        problems.append("The capacity report covers %s workers, not live ones only." % live.get("range"))
    if missing or extra:
        problems.append(
            "Alluxio's live workers do not match the labelled nodes. Missing workers (labelled, not reporting): %s. "
            "Extra workers (reporting, not labelled): %s. Lost workers (known to the master, no heartbeat): %s."
            % (", ".join(missing) or "none", ", ".join(extra) or "none", ", ".join(lost_names) or "none")
        )
    if not missing and not extra and (live.get("total_bytes", 0) <= 0 or empty):
        problems.append(
            "Alluxio reports no capacity: total %s bytes; workers with zero capacity: %s. "
            "Check alluxio_tiered_store_levels (quota) and the worker logs." % (live.get("total_bytes", 0), ", ".join(empty) or "none")
        )
    return {
        "ok": not problems,
        "range_ok": range_ok,
        "matches": range_ok and not missing and not extra,
        "missing": missing,
        "extra": extra,
        "lost": lost_names,
        "empty": empty,
        "message": " ".join(problems),
    }


class FilterModule(object):
    def filters(self):
        return {
            "alluxio_worker_plan": alluxio_worker_plan,
            "alluxio_worker_check": alluxio_worker_check,
        }
