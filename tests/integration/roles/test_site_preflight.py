# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""site.yml's preflight finds the cluster as kubernetes.core does: the lab inventory's kubeconfig with no
-e, a relative kubeconfig path, K8S_AUTH_* variables alone (an AWX credential), and fails in seconds,
saying what to do, with no credentials or an API server that does not answer.
"""

import base64
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from test_role_checks import BIN, KUBECONFIG, ROOT, kubectl

LAB_SERVER = "https://10.200.0.1:6443"


def playbook(*args, env=None, home=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("K8S_AUTH_", "KUBECONFIG"))}
    environment.update(ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="default",
                       ANSIBLE_CALLBACK_RESULT_FORMAT="json")
    if home:
        environment["HOME"] = home  # no ~/.kube/config there
    environment.update(env or {})
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A lab service account's bearer token and the cluster CA, as an AWX credential holds them."""
    assert kubectl("create", "serviceaccount", "preflight-probe", "-n", "default").returncode == 0
    try:
        deadline = time.monotonic() + 60
        while True:
            account = json.loads(kubectl("get", "serviceaccount", "preflight-probe", "-n", "default", "-o", "json").stdout)
            if account.get("secrets"):
                break
            if time.monotonic() > deadline:
                pytest.fail("timed out after 60s waiting for the token secret of serviceaccount preflight-probe")
            time.sleep(1)
        data = json.loads(kubectl("get", "secret", account["secrets"][0]["name"], "-n", "default", "-o", "json").stdout)["data"]
        ca = tmp_path_factory.mktemp("credential") / "ca.crt"
        ca.write_bytes(base64.b64decode(data["ca.crt"]))
        yield base64.b64decode(data["token"]).decode(), str(ca)
    finally:
        kubectl("delete", "serviceaccount", "preflight-probe", "-n", "default")


def test_lab_inventory_needs_no_extra_vars():
    rc, out = playbook("-i", "inventory/lab", "site.yml")
    assert rc == 0, out[-3000:]
    assert "Kubernetes v1.20.2 at %s (kubeconfig: %s)" % (LAB_SERVER, KUBECONFIG) in out


def test_relative_kubeconfig_path(tmp_path):
    rc, out = playbook("site.yml", "-e", "alluxio_spark_kubeconfig=inventory/lab/kubeconfig", home=str(tmp_path))
    assert rc == 0, out[-3000:]
    assert "(kubeconfig: %s)" % KUBECONFIG in out


def test_environment_credentials_alone(token, tmp_path):
    api_key, ca = token
    env = {"K8S_AUTH_HOST": LAB_SERVER, "K8S_AUTH_API_KEY": api_key, "K8S_AUTH_SSL_CA_CERT": ca}
    rc, out = playbook("site.yml", env=env, home=str(tmp_path))
    assert rc == 0, out[-3000:]
    assert "Kubernetes v1.20.2 at %s (environment)" % LAB_SERVER in out
    assert api_key not in out


def test_no_credentials_fail_in_seconds_saying_what_to_do(tmp_path):
    started = time.monotonic()
    rc, out = playbook("site.yml", home=str(tmp_path))
    seconds = time.monotonic() - started
    assert rc != 0
    assert ("No Kubernetes credentials: no kubeconfig at %s/.kube/config, no K8S_AUTH_HOST with a token, certificate or "
            "password, and not inside a cluster." % tmp_path) in out
    assert "give K8S_AUTH_HOST with K8S_AUTH_API_KEY" in out
    print("failed after %.1f s" % seconds)


def test_missing_explicit_kubeconfig(tmp_path):
    rc, out = playbook("site.yml", "-e", "alluxio_spark_kubeconfig=no/such/kubeconfig", home=str(tmp_path))
    assert rc != 0
    assert "No kubeconfig at %s/no/such/kubeconfig." % ROOT in out


def test_an_api_server_that_does_not_answer(tmp_path):
    config = Path(KUBECONFIG).read_text().replace(LAB_SERVER, "https://127.0.0.1:1")
    path = tmp_path / "kubeconfig"
    path.write_text(config)
    rc, out = playbook("site.yml", "-e", "alluxio_spark_kubeconfig=%s" % path, "-e", "alluxio_spark_connect_timeout=2")
    assert rc != 0
    assert "The Kubernetes API server https://127.0.0.1:1 (from %s) did not answer within 2 s." % path in out
