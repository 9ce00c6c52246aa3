# -*- coding: utf-8 -*-
"""Host-only checks of the spark-operator stand-in chart (no lab needed, a few seconds): it renders
with the real kubeflow chart's object names, the Spark service account and its RBAC land in every job
namespace, and the image is composed the way the real chart composes it. The lab tests in
test_standins.py then install the same chart and check the objects on the cluster.
"""

import subprocess

import pytest
import yaml
from conftest import STANDINS, helm_binary


def render(chart, release, namespace, *values):
    """The chart's objects as `helm template` renders them with each of VALUES given to --set."""
    command = [helm_binary(), "template", release, str(chart), "--namespace", namespace]
    for value in values:
        command += ["--set", value]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def by_name(documents):
    """{(kind, name): document}; only for charts whose names are unique per kind."""
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


@pytest.mark.parametrize(
    ("release", "fullname"), [("spark-operator", "spark-operator"), ("foo", "foo-spark-operator"), ("my-spark-operator", "my-spark-operator")]
)
def test_spark_operator_chart_names(release, fullname):
    objects = by_name(render(STANDINS / "spark-operator" / "chart", release, "ops", "spark.jobNamespaces={jobs}"))
    assert ("Deployment", fullname + "-controller") in objects
    assert ("ServiceAccount", fullname + "-controller") in objects
    assert ("ClusterRole", fullname + "-controller") in objects
    assert ("ClusterRoleBinding", fullname + "-controller") in objects
    assert ("Deployment", fullname + "-webhook") in objects
    assert ("Service", fullname + "-webhook-svc") in objects
    for kind in ("ServiceAccount", "Role", "RoleBinding"):
        assert objects[(kind, fullname + "-spark")]["metadata"]["namespace"] == "jobs"
    container = objects[("Deployment", fullname + "-controller")]["spec"]["template"]["spec"]["containers"][0]
    assert container["name"] == "spark-operator-controller"
    assert container["image"] == "spark-operator-standin:2.5.2"


def test_spark_operator_chart_without_webhook_and_with_a_named_service_account():
    documents = render(
        STANDINS / "spark-operator" / "chart", "spark-operator", "ops", "webhook.enable=false",
        "spark.jobNamespaces={a,b}", "spark.serviceAccount.name=spark", "image.registry=docker.io",
        "image.repository=library/spark-operator-standin", "image.tag=t1",
    )
    assert not [doc for doc in documents if "webhook" in doc["metadata"]["name"]]
    for kind in ("ServiceAccount", "Role", "RoleBinding"):
        spark = sorted(doc["metadata"]["namespace"] for doc in documents if doc["kind"] == kind and doc["metadata"]["name"] == "spark")
        assert spark == ["a", "b"]
    role = next(doc for doc in documents if doc["kind"] == "Role")
    assert role["rules"] == [{
        "apiGroups": [""],
        "resources": ["pods", "configmaps", "persistentvolumeclaims", "services"],
        "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
    }]
    controller = next(doc for doc in documents if doc["kind"] == "Deployment")
    assert controller["spec"]["template"]["spec"]["containers"][0]["image"] == "docker.io/library/spark-operator-standin:t1"
