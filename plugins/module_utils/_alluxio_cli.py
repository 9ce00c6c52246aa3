# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE. Runs the Alluxio CLI inside a pod through the Kubernetes API and feeds a parser.

Shared by the ``alluxio_*_info`` modules: they take either ``output`` (text the user already has)
or run the command with ``kubectl exec`` semantics (an argv list, no shell) in the master pod.
"""

import os
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.rest import ApiException
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.stream import stream as k8s_stream

    KUBERNETES_IMPORT_ERROR = None
except ImportError:
    KUBERNETES_IMPORT_ERROR = traceback.format_exc()

# Options shared by every alluxio_*_info module (documented in doc_fragments/alluxio_pod.py).
POD_ARGUMENT_SPEC = dict(
    output=dict(type="str"),
    namespace=dict(type="str", default="alluxio"),
    pod=dict(type="str", default="alluxio-master-0"),
    container=dict(type="str", default="alluxio-master"),
    kubeconfig=dict(type="path", fallback=(env_fallback, ["K8S_AUTH_KUBECONFIG"])),
    context=dict(type="str", fallback=(env_fallback, ["K8S_AUTH_CONTEXT"])),
    alluxio_bin=dict(type="str", default="alluxio"),
    timeout=dict(type="int", default=120),
)


def pod_argument_spec(**extra):
    spec = dict(POD_ARGUMENT_SPEC)
    spec.update(extra)
    return spec


def exec_in_pod(module, argv):
    """Run ``argv`` in the configured pod/container; return (rc, stdout, stderr)."""
    if KUBERNETES_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("kubernetes"), exception=KUBERNETES_IMPORT_ERROR)
    params = module.params
    where = "%s/%s (container %s)" % (params["namespace"], params["pod"], params["container"])
    try:
        api = k8s_client.CoreV1Api(_api_client(params["kubeconfig"], params["context"]))
        response = k8s_stream(
            api.connect_get_namespaced_pod_exec,
            params["pod"],
            params["namespace"],
            container=params["container"],
            command=argv,
            stdin=False,
            stdout=True,
            stderr=True,
            tty=False,
            _preload_content=False,
        )
    except ApiException as exc:
        module.fail_json(msg="Failed to exec %s in pod %s: %s %s" % (argv[0], where, exc.status, exc.reason), command=argv, body=exc.body)
    except ConfigException as exc:
        module.fail_json(msg="Failed to load the Kubernetes client configuration: %s" % exc, command=argv)
    except Exception as exc:  # websocket and connection errors have no common base class
        module.fail_json(msg="Failed to exec %s in pod %s: %s" % (argv[0], where, exc), command=argv, exception=traceback.format_exc())

    stdout, stderr = [], []
    deadline = time.monotonic() + params["timeout"]
    while response.is_open():
        response.update(timeout=1)
        if response.peek_stdout():
            stdout.append(response.read_stdout())
        if response.peek_stderr():
            stderr.append(response.read_stderr())
        if time.monotonic() > deadline:
            response.close()
            module.fail_json(msg="Timed out after %ds running %s in pod %s" % (params["timeout"], " ".join(argv), where), command=argv)
    return response.returncode, "".join(stdout), "".join(stderr)


def _api_client(kubeconfig, context):
    # Same precedence as kubectl: an explicit file, else KUBECONFIG/~/.kube/config, else in-cluster (AWX pods).
    default = os.path.expanduser(k8s_config.kube_config.KUBE_CONFIG_DEFAULT_LOCATION)
    if kubeconfig or context or os.environ.get("KUBECONFIG") or os.path.exists(default):
        return k8s_config.new_client_from_config(config_file=kubeconfig, context=context)
    k8s_config.load_incluster_config()
    return k8s_client.ApiClient()


def run_info_module(module, argv, parse, accept_failed_command=None):
    """Common body of the info modules: get the text, parse it, exit.

    ``accept_failed_command(rc, stdout)`` may allow a non-zero exit whose stdout is still an
    answer (``fs stat`` of a missing path exits 255 and prints ``Path "..." does not exist.``).
    """
    result = dict(changed=False)
    text = module.params["output"]
    if text is None:
        rc, text, stderr = exec_in_pod(module, argv)
        result.update(command=argv, rc=rc)
        if rc != 0 and not (accept_failed_command and accept_failed_command(rc, text)):
            module.fail_json(
                msg="Command %s failed in pod %s/%s with exit code %s" % (" ".join(argv), module.params["namespace"], module.params["pod"], rc),
                stdout=text[-4000:],
                stderr=stderr[-4000:],
                **result
            )
    try:
        result.update(parse(text, warn=module.warn))
    except AlluxioParseError as exc:
        module.fail_json(msg=str(exc), line=exc.line, **result)
    module.exit_json(**result)
