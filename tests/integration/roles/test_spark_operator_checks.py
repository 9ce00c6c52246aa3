# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each check of the spark_operator role fails, naming the problem, when the cluster's state is wrong.

Runs on the lab with the operator stand-in: a controller image missing from the nodes (so the
controller never becomes ready), and a chart that leaves out the Spark service account.
"""

import pytest
from test_role_checks import kubectl, published, run_role


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
        "service_account": "spark-operator-spark",
        "chart_version": "2.5.2-standin",
        "webhook_enabled": False,
    }
    assert "changed=0" in out


def test_missing_spark_service_account_fails(operator):
    try:
        rc, out = run_role("spark_operator", spark_operator_values_extra={"spark": {"serviceAccount": {"create": False}}})
    finally:
        restored, log = run_role("spark_operator")
    assert rc != 0
    assert "The job namespace spark-jobs lacks what Spark drivers need: service account spark-operator-spark MISSING" in out
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
