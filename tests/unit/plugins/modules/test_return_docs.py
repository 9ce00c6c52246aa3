# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RETURN documents every key the modules return, at every level that has named keys, and nothing they never return."""

import os

import pytest
import yaml

from ansible_collections.dataplane.alluxio_spark.plugins.modules import alluxio_capacity_info, alluxio_fs_stat_info, alluxio_metrics_info
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules import exec_double
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.test_alluxio_info_modules import run, write_kubeconfig
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.test_alluxio_info_modules import sample as read

SAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "samples")
# Keys AnsibleModule adds to every result.
COMMON = {"changed", "failed", "invocation", "warnings", "deprecations"}
# Dictionaries keyed by data (metric names, tier aliases, hosts) whose documented `contains` describes each value.
MAPS = {"metrics", "tiers", "per_host"}


def samples(prefix):
    return sorted(name for name in os.listdir(SAMPLES) if name.startswith(prefix))


def undocumented(value, docs, where):
    """Paths in `value` that `docs` (a RETURN mapping of key -> doc) does not name."""
    missing = []
    for key, item in value.items():
        path = "%s.%s" % (where, key) if where else key
        if key not in docs:
            missing.append(path)
            continue
        contains = docs[key].get("contains")
        if not contains:
            continue  # a scalar, or data keyed by names whose values are not described further
        if key in MAPS:
            for name, element in item.items():
                missing += undocumented(element, contains, "%s[%r]" % (path, name))
        elif isinstance(item, dict):
            missing += undocumented(item, contains, path)
        elif isinstance(item, list):
            for element in item:
                if isinstance(element, dict):
                    missing += undocumented(element, contains, path + "[]")
    return missing


CASES = (
    [(alluxio_fs_stat_info, {"output": read(name)}) for name in samples("fs-stat")]
    + [(alluxio_fs_stat_info, {"output": read(name), "summary": True}) for name in samples("fs-stat")]
    + [(alluxio_fs_stat_info, {"output": 'Path "/nope" does not exist.\n'})]
    + [(alluxio_metrics_info, {"output": read(name)}) for name in samples("report-metrics")]
    + [(alluxio_capacity_info, {"output": read(name)}) for name in samples("report-capacity")]
)


def case_id(value):
    if isinstance(value, dict):
        return "summary" if value.get("summary") else "text"
    return value.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module,args", CASES, ids=case_id)
def test_every_returned_key_is_documented(module, args, capsys):
    result = run(module, args, capsys)
    assert not result.get("failed"), result
    docs = yaml.safe_load(module.RETURN)
    assert undocumented({k: v for k, v in result.items() if k not in COMMON}, docs, "") == []


@pytest.mark.parametrize("module,args", [
    (alluxio_fs_stat_info, {"path": "/LICENSE"}),
    (alluxio_metrics_info, {}),
    (alluxio_capacity_info, {}),
])
def test_pod_mode_keys_are_documented(module, args, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_AUTH_KUBECONFIG", write_kubeconfig(tmp_path))
    pod = exec_double.install(monkeypatch)
    text = {alluxio_fs_stat_info: "fs-stat_2.3_ack-doc_license-single-block.txt", alluxio_metrics_info: "report-metrics_2.5-2.9_unittest.txt",
            alluxio_capacity_info: "report-capacity_2.0-2.9_unittest-multitier.txt"}[module]
    pod.serve(stdout=read(text), status=exec_double.status_success())
    result = run(module, args, capsys)
    docs = yaml.safe_load(module.RETURN)
    assert undocumented({k: v for k, v in result.items() if k not in COMMON}, docs, "") == []


@pytest.mark.parametrize("module", [alluxio_fs_stat_info, alluxio_metrics_info, alluxio_capacity_info])
def test_nothing_documented_is_never_returned(module, capsys):
    """Every documented top-level key shows up in some text-mode result (command and rc need a pod)."""
    seen = set()
    for case_module, args in CASES:
        if case_module is module:
            seen |= set(run(module, args, capsys))
    assert set(yaml.safe_load(module.RETURN)) - seen <= {"command", "rc"}
