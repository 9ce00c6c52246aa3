# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules connect like kubernetes.core: its options, its K8S_AUTH_* variables, its client factory.

What reaches the wire is read where the real client hands it over: the Configuration, URL and
headers given to the websocket (exec_double records them).
"""

import json
from urllib.parse import urlsplit

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_cli import pod_argument_spec
from ansible_collections.dataplane.alluxio_spark.plugins.modules import alluxio_capacity_info, alluxio_fs_stat_info, alluxio_metrics_info
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules import exec_double
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.test_alluxio_info_modules import write_kubeconfig
from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC

NO_WORKERS = "No workers found.\n"


@pytest.fixture
def pod(monkeypatch, tmp_path):
    """The endpoint, and an environment with no kubeconfig anywhere and no in-cluster account."""
    for name in ("K8S_AUTH_KUBECONFIG", "K8S_AUTH_CONTEXT", "K8S_AUTH_HOST", "K8S_AUTH_API_KEY", "K8S_AUTH_VERIFY_SSL",
                 "K8S_AUTH_SSL_CA_CERT", "K8S_AUTH_CERT_FILE", "K8S_AUTH_KEY_FILE", "K8S_AUTH_PROXY", "K8S_AUTH_IMPERSONATE_USER",
                 "K8S_AUTH_IMPERSONATE_GROUPS", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"):
        monkeypatch.delenv(name, raising=False)
    from kubernetes.config import kube_config  # noqa: PLC0415

    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(tmp_path / "no-such-kubeconfig"))
    from kubernetes import client  # noqa: PLC0415

    monkeypatch.setattr(client.Configuration, "_default", None)  # what an earlier kubeconfig load left behind
    endpoint = exec_double.install(monkeypatch)
    endpoint.serve(stdout=NO_WORKERS, status=exec_double.status_success())
    return endpoint


def run(module, args, capsys):
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("module", [alluxio_capacity_info, alluxio_fs_stat_info, alluxio_metrics_info])
def test_every_kubernetes_core_option_is_accepted(module):
    with patch_module_args({}):
        spec = pod_argument_spec()
    for name, option in AUTH_ARG_SPEC.items():
        assert spec[name] == option, name
    assert "kubernetes.core.k8s_auth_options" in module.DOCUMENTATION


def test_host_and_api_key_without_kubeconfig(capsys, pod, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("not read until a TLS handshake\n")
    result = run(alluxio_capacity_info, {"host": "https://k8s.example:6443/", "api_key": "sekret-token", "ca_cert": str(ca)}, capsys)
    assert result["worker_count"] == 0, result
    (connection,) = pod.connections
    configuration = connection["configuration"]
    assert configuration.host == "https://k8s.example:6443"  # kubernetes.core strips the trailing slash
    assert configuration.api_key == {"authorization": "Bearer sekret-token"}
    assert (configuration.verify_ssl, configuration.ssl_ca_cert) == (True, str(ca))
    assert connection["headers"]["authorization"] == "Bearer sekret-token"  # what the websocket sends
    assert connection["url"].startswith("wss://k8s.example:6443/api/v1/namespaces/alluxio/pods/alluxio-master-0/exec?")
    assert "sekret-token" not in json.dumps(result)  # api_key is no_log


def test_awx_credential_environment(capsys, pod, monkeypatch, tmp_path):
    # What an AWX "OpenShift or Kubernetes API Bearer Token" credential injects.
    monkeypatch.setenv("K8S_AUTH_HOST", "https://api.awx.example:6443")
    monkeypatch.setenv("K8S_AUTH_API_KEY", "awx-token")
    monkeypatch.setenv("K8S_AUTH_VERIFY_SSL", "False")
    result = run(alluxio_fs_stat_info, {"path": "/x", "pod": "m-0"}, capsys)
    assert result["failed"] is True  # the scripted answer is a capacity report; only the connection matters here
    (connection,) = pod.connections
    assert (connection["configuration"].host, connection["configuration"].verify_ssl) == ("https://api.awx.example:6443", False)
    assert connection["headers"]["authorization"] == "Bearer awx-token"
    assert urlsplit(connection["url"]).path == "/api/v1/namespaces/alluxio/pods/m-0/exec"


def test_client_certificate_and_proxy_options(capsys, pod, tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("cert\n")
    key.write_text("key\n")
    run(alluxio_capacity_info, {"host": "https://k8s.example", "client_cert": str(cert), "client_key": str(key), "validate_certs": False,
                                "proxy": "http://proxy.example:3128"}, capsys)
    configuration = pod.connections[0]["configuration"]
    assert (configuration.cert_file, configuration.key_file, configuration.verify_ssl) == (str(cert), str(key), False)
    assert configuration.proxy == "http://proxy.example:3128"


def test_kubeconfig_and_context_options(capsys, pod, tmp_path):
    path = write_kubeconfig(tmp_path, server="https://other.example:6443", token="other-token", name="other")
    run(alluxio_capacity_info, {"kubeconfig": path, "context": "other"}, capsys)
    assert pod.connections[0]["configuration"].host == "https://other.example:6443"
    assert pod.connections[0]["headers"]["authorization"] == "Bearer other-token"


def test_no_credentials_anywhere_is_a_clean_failure(capsys, pod):
    result = run(alluxio_capacity_info, {}, capsys)
    assert result["failed"] is True and "exception" not in json.dumps(result["msg"])
    assert result["msg"].startswith("Cannot connect to Kubernetes to run 'alluxio fsadmin report capacity' in pod alluxio/alluxio-master-0 "
                                    "(container alluxio-master): Could not create API client: ")
    assert pod.connections == []


@pytest.mark.parametrize("args,env", [
    ({"impersonate_user": "alice"}, {}),
    ({}, {"K8S_AUTH_IMPERSONATE_GROUPS": "ops,admins"}),
])
def test_impersonation_is_refused_not_silently_dropped(capsys, pod, monkeypatch, args, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run(alluxio_capacity_info, dict({"host": "https://k8s.example", "api_key": "a-long-token"}, **args), capsys)
    assert result["failed"] is True
    assert "the Kubernetes client's exec does not send impersonation headers" in result["msg"]
    assert pod.connections == []


def test_text_mode_needs_no_connection(capsys, pod):
    assert run(alluxio_capacity_info, {"output": NO_WORKERS}, capsys)["worker_count"] == 0
    assert pod.connections == []
