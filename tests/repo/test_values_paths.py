# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every helm value path the roles set exists in the real charts' values.yaml (in ../shared).

The roles render their values through their own tasks (roles/*/tasks/values.yml), run here by
ansible-playbook with each case's variables; no cluster is needed.
"""

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANCHORS = os.path.join(os.path.dirname(ROOT), "shared", "research", "anchors")
# Maps whose keys are data, not chart structure (site properties, label selectors).
FREE_FORM = {("properties",), ("worker", "nodeSelector")}

CASES = {
    "defaults": {},
    "short_circuit_on": {"alluxio_short_circuit_enabled": True, "alluxio_short_circuit_host_path": "/var/run/alluxio-domain"},
    "everything_set": {
        "alluxio_properties": {"alluxio.user.file.readtype.default": "CACHE"},
        "alluxio_master_resources": {"requests": {"cpu": "100m"}},
        "alluxio_worker_resources": {"limits": {"memory": "2Gi"}},
        "alluxio_values_extra": {"jobMaster": {"resources": {"requests": {"cpu": "50m"}}}},
        "spark_operator_image_registry": "localhost",
        "spark_operator_image_repository": "spark-operator-standin",
        "spark_operator_image_tag": "lab",
        "spark_operator_controller_resources": {"requests": {"cpu": "50m"}},
        "spark_operator_webhook_enabled": True,
        "spark_operator_job_namespace": "analytics",
    },
}


def chart_values(name):
    with open(os.path.join(ANCHORS, name, "values.yaml")) as handle:
        return yaml.safe_load(handle)


def missing_paths(rendered, real, prefix=()):
    """Paths of `rendered` that the real values do not have; lists are checked against their first item."""
    missing = []
    for key, value in rendered.items():
        path = prefix + (key,)
        if not isinstance(real, dict) or key not in real:
            missing.append(".".join(path))
            continue
        real_value = real[key]
        if path in FREE_FORM or real_value in (None, {}):
            continue
        if isinstance(value, dict):
            missing += missing_paths(value, real_value, path)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            template = real_value[0] if isinstance(real_value, list) and real_value else {}
            for item in value:
                missing += missing_paths(item, template, path + ("[]",))
    return missing


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    results = {}
    for case, variables in CASES.items():
        directory = tmp_path_factory.mktemp(case)
        output = directory / "values.json"
        extra = directory / "vars.json"
        extra.write_text(json.dumps(dict(variables, output_file=str(output))))
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "tests/repo/render_values.yml", "-e", "@%s" % extra],
            cwd=ROOT, check=True, capture_output=True, env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg")),
        )
        results[case] = json.loads(output.read_text())
    return results


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_alluxio_value_path_exists_in_the_real_chart(rendered, case):
    assert missing_paths(rendered[case]["alluxio"], chart_values("alluxio-chart")) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_spark_operator_value_path_exists_in_the_real_chart(rendered, case):
    assert missing_paths(rendered[case]["spark_operator"], chart_values("spark-operator")) == []


def test_the_checker_catches_a_wrong_path():
    real = chart_values("alluxio-chart")
    wrong = {"shortCircuit": {"enable": False}, "worker": {"nodeselector": {}}, "tieredstore": {"levels": [{"quota": "1Gi", "size": 1}]}}
    assert missing_paths(wrong, real) == ["shortCircuit.enable", "worker.nodeselector", "tieredstore.levels.[].size"]


def test_short_circuit_off_is_set_for_workers_and_clients(rendered):
    values = rendered["defaults"]["alluxio"]
    assert values["shortCircuit"] == {"enabled": False}
    assert values["properties"] == {"alluxio.user.short.circuit.enabled": "false"}
    assert values["fullnameOverride"] == "alluxio"
    assert values["worker"]["nodeSelector"] == {"alluxio": "true"}
    assert values["journal"]["volumeType"] == "emptyDir"


def test_short_circuit_on_uses_a_host_path_socket(rendered):
    values = rendered["short_circuit_on"]["alluxio"]
    assert values["shortCircuit"] == {"enabled": True, "policy": "uuid", "volumeType": "hostPath", "hostPath": "/var/run/alluxio-domain"}
    assert values["properties"]["alluxio.user.short.circuit.enabled"] == "true"


def test_everything_set_reaches_the_values(rendered):
    alluxio = rendered["everything_set"]["alluxio"]
    assert alluxio["properties"]["alluxio.user.file.readtype.default"] == "CACHE"
    assert alluxio["master"]["resources"] == {"requests": {"cpu": "100m"}}
    assert alluxio["worker"]["resources"] == {"limits": {"memory": "2Gi"}}
    assert alluxio["jobMaster"]["resources"] == {"requests": {"cpu": "50m"}}
    operator = rendered["everything_set"]["spark_operator"]
    assert operator["image"] == {"registry": "localhost", "repository": "spark-operator-standin", "tag": "lab", "pullPolicy": "IfNotPresent"}
    assert operator["webhook"] == {"enable": True}
    assert operator["spark"]["jobNamespaces"] == ["analytics"]
    assert rendered["defaults"]["spark_operator"]["webhook"] == {"enable": False}
