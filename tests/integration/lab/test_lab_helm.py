"""A helm chart installs and uninstalls on the lab through the collection's helm (kubernetes.core.helm)."""

from __future__ import annotations

import json
import uuid

from labkit import HERE, KUBECONFIG, VENV_BIN, kubectl, kubectl_json, run_ansible


def _play(release: str, namespace: str, state: str):
    extra_vars = {
        "helm_test_release": release,
        "helm_test_namespace": namespace,
        "helm_test_kubeconfig": str(KUBECONFIG),
        "helm_test_helm_binary": str(VENV_BIN / "helm"),
        "helm_test_chart_path": str(HERE / "charts" / "lab-configmap"),
        "helm_test_state": state,
        "helm_test_message": "installed by kubernetes.core.helm",
        # The play runs on the controller: use the venv's Python, which has the module's libraries.
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    }
    return run_ansible("-i", str(KUBECONFIG.parent), str(HERE / "helm-release.yml"),
                       "-e", json.dumps(extra_vars), tool="ansible-playbook")


def test_helm_install_and_uninstall(lab):
    release = f"lab-{uuid.uuid4().hex[:6]}"
    namespace = f"helm-{release}"
    try:
        result = _play(release, namespace, "present")
        assert result.returncode == 0, result.stdout + result.stderr

        configmap = kubectl_json("get", "configmap", f"{release}-settings", "-n", namespace)
        assert configmap["data"] == {"message": "installed by kubernetes.core.helm", "chart": "lab-configmap-0.1.0"}
        assert configmap["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
        # Helm 3 keeps the release record in a Secret of the release namespace.
        secrets = kubectl("get", "secrets", "-n", namespace, "-l", f"owner=helm,name={release}", "-o", "name").stdout
        assert f"sh.helm.release.v1.{release}.v1" in secrets

        result = _play(release, namespace, "absent")
        assert result.returncode == 0, result.stdout + result.stderr
        gone = kubectl("get", "configmap", f"{release}-settings", "-n", namespace, check=False)
        assert gone.returncode != 0 and "NotFound" in gone.stderr
        assert kubectl("get", "secrets", "-n", namespace, "-l", f"owner=helm,name={release}",
                       "-o", "name").stdout.strip() == ""
    finally:
        kubectl("delete", "namespace", namespace, "--wait=false", check=False)
