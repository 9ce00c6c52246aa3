# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' shared Kubernetes filters: the pod/event failure report, manifest names and RBAC access."""

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.filter.k8s_diagnostics import helm_manifest_objects, k8s_pod_report, k8s_role_access
from ansible_collections.dataplane.alluxio_spark.plugins.filter.spark_operator import spark_operator_objects


def pod(name, node, phase, *containers):
    return {"metadata": {"name": name}, "spec": {"nodeName": node} if node else {}, "status": {"phase": phase, "containerStatuses": list(containers)}}


def event(when, kind, name, reason, message, type_="Warning"):
    return {"metadata": {"creationTimestamp": when}, "lastTimestamp": when, "type": type_, "reason": reason,
            "involvedObject": {"kind": kind, "name": name}, "message": message}


def test_pod_report_names_pods_states_and_recent_events():
    pods = [
        pod("w-2", "lab-n3", "Pending", {"name": "worker", "ready": False, "state": {"waiting": {"reason": "ErrImageNeverPull"}}}),
        pod("m-0", "lab-n1", "Running", {"name": "master", "ready": False, "state": {"running": {}}},
            {"name": "job", "ready": True, "state": {"running": {}}}),
        pod("w-9", None, "Pending"),
        pod("w-8", "lab-n2", "Failed", {"name": "worker", "ready": False, "state": {"terminated": {"reason": "OOMKilled"}}}),
    ]
    events = [event("2026-01-01T00:00:%02dZ" % i, "Pod", "m-0", "Unhealthy", "Readiness probe failed: %d\n" % i) for i in range(12)]
    text = k8s_pod_report(pods, list(reversed(events)))
    assert text.startswith(
        "Pods: m-0 on lab-n1: Running (master not ready, job ready); w-2 on lab-n3: Pending (worker ErrImageNeverPull); "
        "w-8 on lab-n2: Failed (worker terminated (OOMKilled)); w-9 on (unscheduled): Pending (no containers). Recent events: "
        "Warning Unhealthy Pod/m-0: Readiness probe failed: 2; "
    )
    assert text.endswith("Warning Unhealthy Pod/m-0: Readiness probe failed: 11")
    assert text.count("Readiness probe failed") == 10


def test_pod_report_of_an_empty_namespace():
    assert k8s_pod_report([], []) == "Pods: none. Recent events: none"
    with pytest.raises(AnsibleFilterError):
        k8s_pod_report(None, [])


MANIFEST = """
---
# Source: spark-operator/templates/controller/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ops-controller
  labels: {app.kubernetes.io/component: controller}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ops-webhook
  labels: {app.kubernetes.io/component: webhook}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ops-spark, namespace: jobs}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-spark, namespace: jobs}
subjects: [{kind: ServiceAccount, name: ops-spark, namespace: jobs}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ops-spark}
"""


def test_manifest_objects_and_the_operator_names_with_a_fullname_override():
    assert [(o["kind"], o["name"]) for o in helm_manifest_objects(MANIFEST)] == [
        ("Deployment", "ops-controller"), ("Deployment", "ops-webhook"), ("ServiceAccount", "ops-spark"), ("RoleBinding", "ops-spark"),
    ]
    assert [o["name"] for o in helm_manifest_objects(MANIFEST, "Deployment")] == ["ops-controller", "ops-webhook"]
    assert spark_operator_objects(MANIFEST, "jobs") == {"controller": "ops-controller", "service_account": "ops-spark"}
    # kubernetes.core.helm_info returns the manifest parsed, as a list of objects.
    parsed = [doc for doc in yaml.safe_load_all(MANIFEST) if doc]
    assert helm_manifest_objects(parsed) == helm_manifest_objects(MANIFEST)
    assert spark_operator_objects(parsed, "jobs") == {"controller": "ops-controller", "service_account": "ops-spark"}


def test_operator_names_when_the_chart_only_binds_an_existing_account():
    manifest = MANIFEST.replace("kind: ServiceAccount\nmetadata: {name: ops-spark", "kind: ConfigMap\nmetadata: {name: x")
    manifest = manifest.replace("name: ops-spark, namespace: jobs}]", "name: made-by-hand, namespace: jobs}]")
    assert spark_operator_objects(manifest, "jobs") == {"controller": "ops-controller", "service_account": "made-by-hand"}
    assert spark_operator_objects(None, "jobs") == {"controller": None, "service_account": None}
    assert spark_operator_objects(MANIFEST, "other") == {"controller": "ops-controller", "service_account": None}


def test_manifest_that_is_not_yaml():
    with pytest.raises(AnsibleFilterError, match="not YAML"):
        helm_manifest_objects("a: [")
    with pytest.raises(AnsibleFilterError, match="expected the manifest as text or a list"):
        helm_manifest_objects({"kind": "Pod"})


def test_role_access():
    roles = [
        {"metadata": {"name": "spark"}, "rules": [{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["create", "get"]}]},
        {"metadata": {"name": "reader"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]},
        {"metadata": {"name": "apps"}, "rules": [{"apiGroups": ["apps"], "resources": ["pods"], "verbs": ["*"]}]},
        {"metadata": {"name": "unbound"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]},
    ]
    bindings = [
        {"roleRef": {"kind": "Role", "name": name}, "subjects": [{"kind": "ServiceAccount", "name": "sa"}]} for name in ("spark", "reader", "apps")
    ] + [{"roleRef": {"kind": "ClusterRole", "name": "edit"}, "subjects": [{"kind": "ServiceAccount", "name": "sa"}]}]
    assert k8s_role_access(roles, bindings, "sa") == {"bound": ["apps", "reader", "spark"], "granting": ["spark"]}
    assert k8s_role_access(roles, bindings, "nobody") == {"bound": [], "granting": []}
