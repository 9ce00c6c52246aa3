# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every way a pod exec can fail is a clean module failure naming the command, pod and container.

The real Kubernetes client runs; exec_double scripts what the API server sends.
"""

import json

import pytest
from ansible.module_utils.testing import patch_module_args
from kubernetes.stream import ws_client

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_cli import exit_status
from ansible_collections.dataplane.alluxio_spark.plugins.modules import alluxio_capacity_info, alluxio_fs_stat_info
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules import exec_double
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.test_alluxio_info_modules import write_kubeconfig

WHERE = "'alluxio fs stat /x' in pod alluxio/alluxio-master-0 (container alluxio-master)"
# What a containerd or CRI-O node reports when the program does not exist (no exit code).
NOT_FOUND = ('failed to exec in container: failed to start exec "0c5e": OCI runtime exec failed: exec failed: unable to start '
             'container process: exec: "/opt/nope/alluxio": stat /opt/nope/alluxio: no such file or directory: unknown')


@pytest.fixture
def pod(monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_AUTH_KUBECONFIG", write_kubeconfig(tmp_path))
    return exec_double.install(monkeypatch)


def run(module, args, capsys):
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


def failure(module, args, capsys):
    result = run(module, args, capsys)
    assert result["failed"] is True, result
    assert "exception" not in result, result["exception"]  # a clean failure, never a traceback
    return result


def test_the_double_is_the_real_client_whose_returncode_raises(pod):
    """Why exec_in_pod reads the Status itself: the client's returncode raises on a Failure without exit code."""
    from kubernetes import client  # noqa: PLC0415
    from kubernetes.stream import stream  # noqa: PLC0415

    pod.serve(status=exec_double.status_failure(NOT_FOUND))
    api = client.CoreV1Api(client.ApiClient(client.Configuration(host="https://lab.example:6443")))
    response = stream(api.connect_get_namespaced_pod_exec, "p", "ns", command=["x"], stdout=True, stderr=True, stdin=False, tty=False,
                      _preload_content=False)
    assert isinstance(response, ws_client.WSClient)
    response.run_forever(timeout=5)
    with pytest.raises((KeyError, ValueError, TypeError)):
        response.returncode  # noqa: B018  # the property does the reading


def test_wrong_alluxio_bin_without_exit_code(capsys, pod):
    pod.serve(status=exec_double.status_failure(NOT_FOUND))
    result = failure(alluxio_fs_stat_info, {"path": "/x", "alluxio_bin": "/opt/nope/alluxio"}, capsys)
    assert result["msg"] == ("Cannot run '/opt/nope/alluxio fs stat /x' in pod alluxio/alluxio-master-0 (container alluxio-master): "
                             + NOT_FOUND + " (is alluxio_bin right?)")
    assert result["command"] == ["/opt/nope/alluxio", "fs", "stat", "/x"]


@pytest.mark.parametrize("code", [126, 127])
def test_wrong_alluxio_bin_with_exit_code(capsys, pod, code):
    # Docker-based nodes (the lab's) report the runtime's message on stdout and exit 126 (a shell would exit 127).
    pod.serve(stdout='OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": '
                     'executable file not found in $PATH: unknown\r\n', status=exec_double.status_exit_code(code))
    result = failure(alluxio_capacity_info, {"alluxio_bin": "nope"}, capsys)
    assert result["msg"] == ("Command 'nope fsadmin report capacity' in pod alluxio/alluxio-master-0 (container alluxio-master) "
                             "failed with exit code %d (126/127: the program could not be run; is alluxio_bin right?)" % code)
    assert "executable file not found" in result["stdout"]


@pytest.mark.parametrize("code,phrase,reason,message,args", [
    (404, "Not Found", "NotFound", 'pods "nope" not found', {"pod": "nope"}),
    (400, "Bad Request", "BadRequest", "container nope is not valid for pod alluxio-master-0", {"container": "nope"}),
    (400, "Bad Request", "BadRequest", "pod alluxio-master-0 does not have a host assigned", {}),
    (400, "Bad Request", "BadRequest", "cannot exec into a container in a completed pod; current phase is Succeeded", {}),
    (403, "Forbidden", "Forbidden", 'pods "alluxio-master-0" is forbidden: User "ci" cannot create resource "pods/exec"', {}),
    # the kubelet's plain-text answer for a container that is not running (not started yet, or completed)
    (500, "Internal Server Error", None, 'container not found ("alluxio-master")', {}),
])
def test_exec_refused_by_the_api_server(capsys, pod, code, phrase, reason, message, args):
    pod.refuse(code, phrase, exec_double.refused_status(code, reason, message) if reason else message)
    params = dict({"path": "/x"}, **args)
    result = failure(alluxio_fs_stat_info, params, capsys)
    where = "'alluxio fs stat /x' in pod alluxio/%s (container %s)" % (args.get("pod", "alluxio-master-0"), args.get("container", "alluxio-master"))
    assert result["msg"] == "Cannot run %s: HTTP %d: %s" % (where, code, message)


def test_handshake_without_status_body(capsys, pod):
    pod.refuse(502, "Bad Gateway", None)
    result = failure(alluxio_fs_stat_info, {"path": "/x"}, capsys)
    assert result["msg"].startswith("Cannot run %s: HTTP 502: Handshake status 502 Bad Gateway" % WHERE)


def test_api_server_unreachable(capsys, pod):
    pod.unreachable()
    result = failure(alluxio_fs_stat_info, {"path": "/x"}, capsys)
    assert result["msg"] == "Cannot run %s: [Errno 111] Connection refused" % WHERE


def test_stream_cut_without_status(capsys, pod):
    pod.serve(stdout="/x is a file path.\n", cut=True)
    result = failure(alluxio_fs_stat_info, {"path": "/x"}, capsys)
    assert result["msg"] == "Cannot run %s: the connection closed without an exit status (the exec was cut off)" % WHERE
    assert result["stdout"] == "/x is a file path.\n"


def test_exec_timeout(capsys, pod):
    pod.serve(stdout="partial", hang=True)
    result = failure(alluxio_capacity_info, {"timeout": 0}, capsys)
    assert result["msg"] == "Timed out after 0s running 'alluxio fsadmin report capacity' in pod alluxio/alluxio-master-0 (container alluxio-master)"
    assert result["stdout"] == "partial"


def test_output_arriving_with_the_close_is_kept(capsys, pod):
    pod.serve(stdout="No workers found.\n", status=exec_double.status_success(), chunk=3)
    assert run(alluxio_capacity_info, {}, capsys)["worker_count"] == 0


@pytest.mark.parametrize("text,expected", [
    ('{"metadata":{},"status":"Success"}', (0, None)),
    (json.dumps(exec_double.status_exit_code(3)), (3, None)),
    ("", (None, "the connection closed without an exit status (the exec was cut off)")),
    ("not json", (None, "unreadable exit status 'not json'")),
    ("[1]", (None, "unreadable exit status '[1]'")),
    ('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"x"}]},"message":"odd"}',
     (None, "odd")),
    ('{"status":"Failure","message":"exec: \\"x\\": executable file not found in $PATH"}',
     (None, 'exec: "x": executable file not found in $PATH (is alluxio_bin right?)')),
])
def test_exit_status(text, expected):
    assert exit_status(text) == expected
