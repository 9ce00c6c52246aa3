# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each check of the spark_operator role fails, naming the problem, when the cluster's state is wrong.

Runs on the lab with the operator stand-in: a controller image missing from the nodes (so the
controller never becomes ready), and a chart that leaves out the Spark service account.
"""

import json
import subprocess

import pytest
from test_role_checks import KUBECONFIG, kubectl, published, run_role, wait_until

FINALIZER = "sparkoperator.k8s.io/finalizer"


def spark_app(name):
    """A SparkApplication that the real CRD accepts; nothing runs it on the lab."""
    return json.dumps({
        "apiVersion": "sparkoperator.k8s.io/v1beta2",
        "kind": "SparkApplication",
        "metadata": {"name": name, "namespace": "spark-jobs"},
        "spec": {
            "type": "Scala", "mode": "cluster", "image": "spark:lab", "imagePullPolicy": "Never",
            "mainClass": "org.apache.spark.examples.JavaWordCount",
            "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
            "sparkVersion": "3.5.0", "restartPolicy": {"type": "Never"},
            "driver": {"cores": 1, "memory": "512m", "serviceAccount": "spark-operator-spark"},
            "executor": {"instances": 1, "cores": 1, "memory": "512m"},
        },
    })


def create_app(name):
    done = subprocess.run(["kubectl", "--kubeconfig", KUBECONFIG, "create", "-f", "-"], input=spark_app(name),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def finalizers(name):
    got = kubectl("-n", "spark-jobs", "get", "sparkapplication", name, "-o", "jsonpath={.metadata.finalizers}")
    return got.stdout if got.returncode == 0 else None


@pytest.fixture(scope="module")
def operator():
    rc, out = run_role("spark_operator")
    assert rc == 0, out[-3000:]
    yield
    rc, out = run_role("spark_operator", spark_operator_state="absent")
    assert rc == 0, out[-3000:]


def test_deploy_publishes_the_operator(operator):
    rc, out = run_role("spark_operator")
    assert rc == 0, out[-3000:]
    assert published(out) == {
        "namespace": "spark-operator",
        "release": "spark-operator",
        "job_namespace": "spark-jobs",
        "controller": "spark-operator-controller",
        "service_account": "spark-operator-spark",
        "chart_version": "2.5.2-standin",
        "webhook_enabled": False,
    }
    assert "changed=0" in out


def test_missing_spark_service_account_fails(operator):
    try:
        # The chart then only binds the named account, which nobody made.
        rc, out = run_role("spark_operator", spark_operator_values_extra={"spark": {"serviceAccount": {"create": False, "name": "nobody-made-this"}}})
    finally:
        restored, log = run_role("spark_operator")
    assert rc != 0
    assert "The job namespace spark-jobs lacks what Spark drivers need: service account nobody-made-this MISSING" in out
    assert restored == 0, log[-3000:]


def test_controller_that_never_becomes_ready_fails_with_the_reason(operator):
    try:
        rc, out = run_role("spark_operator", spark_operator_image_tag="not-on-any-node", spark_operator_wait_timeout=15)
    finally:
        restored, log = run_role("spark_operator")
    assert rc != 0
    assert "The Spark operator was not ready within 15 s in namespace spark-operator" in out
    assert "spark-operator-controller ErrImageNeverPull" in out
    assert restored == 0, log[-3000:]
    ready = kubectl("get", "deployment", "spark-operator-controller", "-n", "spark-operator", "-o", "jsonpath={.status.readyReplicas}")
    assert ready.stdout == "1"


def test_names_come_from_the_release_with_a_fullname_override(operator):
    extra = {"fullnameOverride": "ops"}
    try:
        rc, out = run_role("spark_operator", spark_operator_values_extra=extra)
        assert rc == 0, out[-3000:]
        assert (published(out)["controller"], published(out)["service_account"]) == ("ops-controller", "ops-spark")
    finally:
        restored, log = run_role("spark_operator")
    assert restored == 0, log[-3000:]
    assert published(log)["controller"] == "spark-operator-controller"


def test_removal_deletes_the_sparkapplications_first_and_does_not_hang():
    rc, out = run_role("spark_operator")
    assert rc == 0, out[-3000:]
    create_app("wordcount-left-behind")
    # Like the real controller, the stand-in's puts its finalizer on the application.
    wait_until(lambda: FINALIZER in (finalizers("wordcount-left-behind") or ""), 60, what="the controller's finalizer on the application")
    rc, out = run_role("spark_operator", spark_operator_state="absent")
    assert rc == 0, out[-3000:]
    assert "Delete the SparkApplications and wait for them to go" in out
    assert kubectl("get", "namespace", "spark-jobs").returncode != 0
    assert kubectl("get", "namespace", "spark-operator").returncode != 0


def test_removal_with_a_stopped_controller_fails_naming_the_applications():
    rc, out = run_role("spark_operator")
    assert rc == 0, out[-3000:]
    create_app("stuck-app")
    wait_until(lambda: FINALIZER in (finalizers("stuck-app") or ""), 60, what="the controller's finalizer on the application")
    assert kubectl("-n", "spark-operator", "scale", "deployment", "spark-operator-controller", "--replicas=0").returncode == 0
    try:
        rc, out = run_role("spark_operator", spark_operator_state="absent", spark_operator_wait_timeout=15)
        assert rc != 0
        assert "SparkApplications in spark-jobs were not deleted within 15 s: stuck-app." in out
        assert "is it running in spark-operator? The release is left installed" in out
        assert kubectl("-n", "spark-operator", "get", "deployment", "spark-operator-controller").returncode == 0
    finally:
        # A person's way out: run the controller again, and the removal finishes.
        kubectl("-n", "spark-operator", "scale", "deployment", "spark-operator-controller", "--replicas=1")
        rc, out = run_role("spark_operator", spark_operator_state="absent")
    assert rc == 0, out[-3000:]
    assert kubectl("get", "namespace", "spark-jobs").returncode != 0
