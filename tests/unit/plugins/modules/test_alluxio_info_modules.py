# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules: text mode, pod mode (the real Kubernetes client over a scripted exec endpoint), errors."""

import json
import os
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.modules import alluxio_capacity_info, alluxio_fs_stat_info, alluxio_metrics_info
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules import exec_double
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.module_run import run_module

SAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "samples")


def sample(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def run(module, args, capsys):
    return run_module(module, args, capsys)


@pytest.fixture
def pod(monkeypatch, tmp_path):
    """The scripted exec endpoint under the real client; a kubeconfig that names it."""
    monkeypatch.setenv("K8S_AUTH_KUBECONFIG", write_kubeconfig(tmp_path))
    return exec_double.install(monkeypatch)


def write_kubeconfig(tmp_path, server="https://lab.example:6443", token="kubeconfig-token", name="lab"):
    path = tmp_path / ("kubeconfig-%s" % name)
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": name,
        "clusters": [{"name": name, "cluster": {"server": server, "insecure-skip-tls-verify": True}}],
        "users": [{"name": name, "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
    }))
    return str(path)


def exec_query(connection):
    return parse_qs(urlsplit(connection["url"]).query)


def test_fs_stat_text_mode(capsys):
    result = run(alluxio_fs_stat_info, {"output": sample("fs-stat_2.2.1-enterprise_seed-doc_license-single-block.txt")}, capsys)
    assert result["changed"] is False
    assert result["exists"] is True
    assert result["worker_hosts"] == ["192.168.8.17"]
    assert result["file"]["blocks"][0]["hosts"] == ["192.168.8.17"]
    assert "command" not in result


def test_fs_stat_pod_mode(capsys, pod):
    pod.serve(stdout=sample("fs-stat_2.3_ack-doc_license-single-block.txt"), status=exec_double.status_success())
    result = run(alluxio_fs_stat_info, {"path": "/LICENSE", "namespace": "data", "pod": "m-0", "container": "c"}, capsys)
    (connection,) = pod.connections
    assert urlsplit(connection["url"]).path == "/api/v1/namespaces/data/pods/m-0/exec"
    assert exec_query(connection) == {"command": ["alluxio", "fs", "stat", "/LICENSE"], "container": ["c"],
                                      "stderr": ["true"], "stdin": ["false"], "stdout": ["true"], "tty": ["false"]}
    assert (result["command"], result["rc"], result["file"]["length"]) == (["alluxio", "fs", "stat", "/LICENSE"], 0, 27040)


def test_fs_stat_missing_path_exit_255_is_an_answer(capsys, pod):
    pod.serve(stdout='Path "/nope" does not exist.\n', status=exec_double.status_exit_code(255))
    result = run(alluxio_fs_stat_info, {"path": "/nope"}, capsys)
    assert "failed" not in result
    assert (result["exists"], result["file"], result["rc"]) == (False, None, 255)


def test_fs_stat_command_failure(capsys, pod):
    pod.serve(stderr="java.io.IOException: master unreachable\n", status=exec_double.status_exit_code(1))
    result = run(alluxio_fs_stat_info, {"path": "/x"}, capsys)
    assert result["failed"] is True
    assert result["msg"] == "Command 'alluxio fs stat /x' in pod alluxio/alluxio-master-0 (container alluxio-master) failed with exit code 1"
    assert (result["stderr"], result["rc"]) == ("java.io.IOException: master unreachable\n", 1)


def test_fs_stat_summary_has_no_block_list(capsys):
    text = sample("fs-stat_2.3_ack-doc_license-single-block.txt")
    full = run(alluxio_fs_stat_info, {"output": text}, capsys)
    summary = run(alluxio_fs_stat_info, {"output": text, "summary": True}, capsys)
    assert {k: v for k, v in full["file"].items() if k != "blocks"} == summary["file"]
    assert (summary["file"]["block_count"], summary["file"]["per_host"]["192.168.8.17"]["bytes"]) == (1, 27040)
    assert (summary["worker_hosts"], summary["more_files"]) == (["192.168.8.17"], [])


def test_output_is_not_echoed_back(capsys):
    text = sample("fs-stat_2.3_ack-doc_license-single-block.txt")
    result = run(alluxio_fs_stat_info, {"output": text}, capsys)
    assert result["invocation"]["module_args"]["output"] == "(%d characters, not repeated here)" % len(text)
    assert result["invocation"]["module_args"]["summary"] is False
    failed = run(alluxio_fs_stat_info, {"output": "garbage\n"}, capsys)
    assert (failed["failed"], failed["invocation"]["module_args"]["output"]) == (True, "(8 characters, not repeated here)")


def test_fs_stat_needs_exactly_one_of_path_and_output(capsys):
    assert "one of the following is required: path, output" in run(alluxio_fs_stat_info, {}, capsys)["msg"]
    both = run(alluxio_fs_stat_info, {"path": "/a", "output": "x"}, capsys)
    assert both["failed"] is True and "mutually exclusive: path|output" in both["msg"]


def test_parse_failure_is_a_clean_failed_result(capsys):
    result = run(alluxio_metrics_info, {"output": "Capacity information for all workers: \n"}, capsys)
    assert result["failed"] is True
    assert result["line"] == 1
    assert result["msg"].startswith("Cannot parse the output of 'alluxio fsadmin report metrics' at line 1: expected")


def test_metrics_pod_mode_with_3x_arguments(capsys, pod):
    pod.serve(stdout='{\n    "metricsInfo": [\n        {"key": "Cluster.BytesReadRemote", "type": "COUNTER", "value": "12.00MB"}\n    ]\n}\n',
              status=exec_double.status_success())
    result = run(alluxio_metrics_info, {"report_args": ["info", "report", "metrics"]}, capsys)
    assert exec_query(pod.connections[0])["command"] == ["alluxio", "info", "report", "metrics"]
    assert result["format"] == "json"
    assert result["bytes_read"] == {"network": 12582912, "domain_socket": None, "short_circuit_local": None, "ufs": None}


def test_metrics_warning_reaches_the_result(capsys, monkeypatch):
    # Once controller code (the filter tests) is imported, module warnings go to Display instead.
    from ansible.module_utils import _internal  # noqa: PLC0415  # internal: imported only where patched
    monkeypatch.setattr(_internal, "is_controller", False, raising=False)
    result = run(alluxio_metrics_info, {"output": sample("report-metrics_2.3_ack-doc_domain-socket-excerpt.txt")}, capsys)
    assert result["bytes_read"]["domain_socket"] == 243364
    # ansible-core 2.19 returns warning summaries; older releases return plain strings
    warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert warnings == ["alluxio fsadmin report metrics: ignored unexpected line 5: '......' (please report this output format)"]


def test_capacity_text_and_pod_mode(capsys, pod):
    text = sample("report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt")
    result = run(alluxio_capacity_info, {"output": text}, capsys)
    assert [w["name"] for w in result["workers"]] == ["192.168.8.15", "192.168.8.16", "192.168.8.17"]
    assert result["total_bytes"] == 3 * 1024 ** 3
    assert pod.connections == []  # text mode contacts no cluster
    pod.serve(stdout=text, status=exec_double.status_success(), chunk=100)  # many frames
    result = run(alluxio_capacity_info, {"report_args": ["fsadmin", "report", "capacity", "-live"]}, capsys)
    assert exec_query(pod.connections[0])["command"] == ["alluxio", "fsadmin", "report", "capacity", "-live"]
    assert result["worker_count"] == 3
