# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules: text mode, pod mode (Kubernetes exec faked at the API client), errors."""

import json
import os

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils import _alluxio_cli
from ansible_collections.dataplane.alluxio_spark.plugins.modules import alluxio_capacity_info, alluxio_fs_stat_info, alluxio_metrics_info

SAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "samples")


def sample(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def run(module, args, capsys):
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


class FakeExec(object):
    """Stands in for kubernetes.stream's WSClient: yields stdout in chunks, then an exit code."""

    def __init__(self, stdout, returncode=0, stderr=""):
        self.chunks = [stdout[i:i + 7000] for i in range(0, len(stdout), 7000)] or [""]
        self.stderr = stderr
        self.returncode = returncode
        self.calls = []

    def __call__(self, method, pod, namespace, **kwargs):
        self.calls.append(dict(pod=pod, namespace=namespace, **kwargs))
        return self

    def is_open(self):
        return bool(self.chunks)

    def update(self, timeout):
        pass

    def peek_stdout(self):
        return bool(self.chunks)

    def read_stdout(self):
        return self.chunks.pop(0)

    def close(self):
        self.chunks = []

    def peek_stderr(self):
        return bool(self.stderr)

    def read_stderr(self):
        text, self.stderr = self.stderr, ""
        return text


@pytest.fixture
def fake_pod(monkeypatch):
    def install(stdout, returncode=0, stderr=""):
        fake = FakeExec(stdout, returncode, stderr)
        monkeypatch.setattr(_alluxio_cli, "k8s_stream", fake)
        monkeypatch.setattr(_alluxio_cli, "_api_client", lambda kubeconfig, context: None)
        return fake
    return install


def test_fs_stat_text_mode(capsys):
    result = run(alluxio_fs_stat_info, {"output": sample("fs-stat_2.2.1-enterprise_seed-doc_license-single-block.txt")}, capsys)
    assert result["changed"] is False
    assert result["exists"] is True
    assert result["worker_hosts"] == ["192.168.8.17"]
    assert result["file"]["blocks"][0]["locations"][0]["host"] == "192.168.8.17"
    assert "command" not in result


def test_fs_stat_pod_mode(capsys, fake_pod):
    fake = fake_pod(sample("fs-stat_2.3_ack-doc_license-single-block.txt"))
    result = run(alluxio_fs_stat_info, {"path": "/LICENSE", "namespace": "data", "pod": "m-0", "container": "c"}, capsys)
    assert fake.calls == [dict(pod="m-0", namespace="data", container="c", command=["alluxio", "fs", "stat", "/LICENSE"],
                               stdin=False, stdout=True, stderr=True, tty=False, _preload_content=False)]
    assert (result["command"], result["rc"], result["file"]["length"]) == (["alluxio", "fs", "stat", "/LICENSE"], 0, 27040)


def test_fs_stat_missing_path_exit_255_is_an_answer(capsys, fake_pod):
    fake_pod('Path "/nope" does not exist.\n', returncode=255)
    result = run(alluxio_fs_stat_info, {"path": "/nope"}, capsys)
    assert "failed" not in result
    assert (result["exists"], result["file"], result["rc"]) == (False, None, 255)


def test_fs_stat_command_failure(capsys, fake_pod):
    fake_pod("", returncode=1, stderr="exec: alluxio: not found")
    result = run(alluxio_fs_stat_info, {"path": "/x", "alluxio_bin": "/opt/alluxio/bin/alluxio"}, capsys)
    assert result["failed"] is True
    assert result["msg"] == "Command /opt/alluxio/bin/alluxio fs stat /x failed in pod alluxio/alluxio-master-0 with exit code 1"
    assert result["stderr"] == "exec: alluxio: not found"


def test_fs_stat_needs_exactly_one_of_path_and_output(capsys):
    assert "one of the following is required: path, output" in run(alluxio_fs_stat_info, {}, capsys)["msg"]
    both = run(alluxio_fs_stat_info, {"path": "/a", "output": "x"}, capsys)
    assert both["failed"] is True and "mutually exclusive: path|output" in both["msg"]


def test_parse_failure_is_a_clean_failed_result(capsys):
    result = run(alluxio_metrics_info, {"output": "Capacity information for all workers: \n"}, capsys)
    assert result["failed"] is True
    assert result["line"] == 1
    assert result["msg"].startswith("Cannot parse the output of 'alluxio fsadmin report metrics' at line 1: expected")


def test_metrics_pod_mode_with_3x_arguments(capsys, fake_pod):
    fake = fake_pod('{\n    "metricsInfo": [\n        {"key": "Cluster.BytesReadRemote", "type": "COUNTER", "value": "12.00MB"}\n    ]\n}\n')
    result = run(alluxio_metrics_info, {"report_args": ["info", "report", "metrics"]}, capsys)
    assert fake.calls[0]["command"] == ["alluxio", "info", "report", "metrics"]
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


def test_capacity_text_and_pod_mode(capsys, fake_pod):
    text = sample("report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt")
    result = run(alluxio_capacity_info, {"output": text}, capsys)
    assert [w["name"] for w in result["workers"]] == ["192.168.8.15", "192.168.8.16", "192.168.8.17"]
    assert result["total_bytes"] == 3 * 1024 ** 3
    fake = fake_pod(text)
    result = run(alluxio_capacity_info, {"report_args": ["fsadmin", "report", "capacity", "-live"]}, capsys)
    assert fake.calls[0]["command"] == ["alluxio", "fsadmin", "report", "capacity", "-live"]
    assert result["worker_count"] == 3


def test_exec_timeout(capsys, fake_pod, monkeypatch):
    fake = fake_pod("partial")
    fake.chunks.append("more")
    fake.read_stdout = lambda: "x"  # never drains: the command hangs
    ticks = iter(range(0, 1000, 10))
    monkeypatch.setattr(_alluxio_cli.time, "monotonic", lambda: next(ticks))
    result = run(alluxio_capacity_info, {"timeout": 25}, capsys)
    assert result["msg"] == "Timed out after 25s running alluxio fsadmin report capacity in pod alluxio/alluxio-master-0 (container alluxio-master)"
