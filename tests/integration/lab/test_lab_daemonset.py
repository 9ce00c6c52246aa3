"""A DaemonSet restricted to nodes labelled alluxio=true (how the collection places Alluxio workers)."""

from __future__ import annotations

import json

from labkit import BUSYBOX, NODES, kubectl, kubectl_json, wait_until

LABEL = "alluxio"


def _daemonset(name: str) -> str:
    return json.dumps({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "nodeSelector": {LABEL: "true"},
                    "terminationGracePeriodSeconds": 1,
                    "containers": [{"name": "worker", "image": BUSYBOX, "imagePullPolicy": "Never",
                                    "command": ["sh", "-c", "sleep 3600"]}],
                },
            },
        },
    })


def _running_nodes(namespace: str, name: str):
    pods = kubectl_json("get", "pods", "-n", namespace, "-l", f"app={name}")["items"]
    live = [p for p in pods if "deletionTimestamp" not in p["metadata"]]
    if not all(p["status"].get("phase") == "Running" for p in live):
        return None
    return sorted(p["spec"]["nodeName"] for p in live)


def _label(node: str, value: str | None):
    kubectl("label", "node", node, f"{LABEL}-" if value is None else f"{LABEL}={value}", "--overwrite")


def test_daemonset_follows_the_alluxio_label(namespace):
    try:
        _label("lab-n1", "true")
        _label("lab-n3", "true")
        _label("lab-n2", "false")   # labelled, but not "true": must not get a pod
        kubectl("apply", "-n", namespace, "-f", "-", input=_daemonset("alluxio-worker"))

        def placed(expected):
            return lambda: _running_nodes(namespace, "alluxio-worker") == expected

        wait_until(placed(["lab-n1", "lab-n3"]), 120, 1, "DaemonSet pods on lab-n1 and lab-n3 only")
        ds = kubectl_json("get", "daemonset", "alluxio-worker", "-n", namespace)
        assert ds["status"]["desiredNumberScheduled"] == 2

        # Labels move, pods follow: off lab-n3, onto lab-n2.
        _label("lab-n3", None)
        _label("lab-n2", "true")
        wait_until(placed(["lab-n1", "lab-n2"]), 120, 1, "DaemonSet pods moved to lab-n1 and lab-n2")
    finally:
        for node in NODES:
            _label(node, None)
