# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every test of the roles suite needs before its first role run, made once per session: the lab up,
the real Alluxio image and the operator's stand-in image in every node, and the operator's stand-in chart
(with the real CRD) where molecule/vars/lab.yml points spark_operator_chart_ref. Nothing here may depend on
an earlier session."""

import os
import shutil
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LAB_VARS = os.path.join(ROOT, "molecule", "vars", "lab.yml")


@pytest.fixture(scope="session", autouse=True)
def standins():
    kubeconfig = os.path.join(ROOT, "inventory", "lab", "kubeconfig")
    if not os.path.exists(kubeconfig):
        pytest.fail("the lab is not up: no %s (run make lab-up)" % kubeconfig)
    subprocess.run(["bash", os.path.join(ROOT, "tests", "images", "alluxio", "load-into-lab.sh")], check=True, timeout=1800)
    subprocess.run([os.path.join(ROOT, "tests", "standins", "build-images.sh"), "lab"], check=True, timeout=600)
    with open(LAB_VARS) as handle:
        chart = yaml.safe_load(handle)["spark_operator_chart_ref"]
    shutil.rmtree(chart, ignore_errors=True)
    subprocess.run(["sh", os.path.join(ROOT, "tests", "standins", "spark-operator", "assemble-chart.sh"), chart], check=True, timeout=120)
