# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE. Runs the Alluxio CLI inside a pod through the Kubernetes API and feeds a parser.

Shared by the ``alluxio_*_info`` modules: they take either ``output`` (text the user already has)
or run the command with ``kubectl exec`` semantics (an argv list, no shell) in the master pod.
The connection options are kubernetes.core's own (argument spec, K8S_AUTH_* environment and
client factory), so an AWX Kubernetes credential, a kubeconfig or in-cluster credentials all work.
"""

import contextlib
import copy
import json
import re
import time
import traceback

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError, shorten
from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC

ERROR_CHANNEL = 3  # kubernetes.stream.ws_client.ERROR_CHANNEL: the exec's v1 Status

# Options shared by every alluxio_*_info module: doc_fragments/alluxio_pod.py documents these,
# kubernetes.core.k8s_auth_options documents the connection options (AUTH_ARG_SPEC).
POD_ARGUMENT_SPEC = dict(
    output=dict(type="str"),
    namespace=dict(type="str", default="alluxio"),
    pod=dict(type="str", default="alluxio-master-0"),
    container=dict(type="str", default="alluxio-master"),
    alluxio_bin=dict(type="str", default="alluxio"),
    timeout=dict(type="int", default=120),
)

# websocket-client's handshake error: "Handshake status 404 Not Found -+-+- {headers} -+-+- body"
_HANDSHAKE_RE = re.compile(r"^Handshake status (?P<code>\d+)(?: (?P<reason>[^-]*?))? -\+-\+- .* -\+-\+- (?P<body>.*)$", re.DOTALL)
# Messages of an exec whose program could not be started (runc, crun, docker).
_NOT_STARTED_RE = re.compile(r"executable file not found|no such file or directory|permission denied|not found in \$PATH", re.IGNORECASE)


def pod_argument_spec(**extra):
    spec = copy.deepcopy(AUTH_ARG_SPEC)
    spec.update(copy.deepcopy(POD_ARGUMENT_SPEC))
    spec.update(extra)
    return spec


def describe(params, argv):
    """How failures name what was run: the command, the pod and the container."""
    return "%r in pod %s/%s (container %s)" % (" ".join(argv), params["namespace"], params["pod"], params["container"])


def exec_in_pod(module, argv):
    """Run ``argv`` in the configured pod/container; return (rc, stdout, stderr).

    Every way the exec can fail ends in ``module.fail_json`` naming the command, pod and
    container: the API server refusing it (no such pod or container, a pod that is not running),
    a program that cannot be started, a lost connection, or the timeout.
    """
    k8s = _kubernetes(module)
    params = module.params
    what = describe(params, argv)
    api = k8s.client.CoreV1Api(_api_client(module, k8s, what))
    try:
        response = k8s.stream(
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
    except k8s.ApiException as exc:
        module.fail_json(msg="Cannot run %s: %s" % (what, start_failure(exc)), command=argv)
    except Exception as exc:  # connection errors of urllib3 and websocket-client share no base class
        module.fail_json(msg="Cannot run %s: %s" % (what, exc), command=argv, exception=traceback.format_exc())

    stdout, stderr = [], []
    try:
        finished = _read_until_closed(response, stdout, stderr, params["timeout"])
        status = response.read_channel(ERROR_CHANNEL) if finished else None
    except Exception as exc:  # the websocket broke while reading
        module.fail_json(msg="Lost the connection while running %s: %s" % (what, exc), command=argv,
                         stdout="".join(stdout)[-4000:], stderr="".join(stderr)[-4000:], exception=traceback.format_exc())
    finally:
        _close(response)
    if not finished:
        module.fail_json(msg="Timed out after %ds running %s" % (params["timeout"], what), command=argv,
                         stdout="".join(stdout)[-4000:], stderr="".join(stderr)[-4000:])
    rc, problem = exit_status(status)
    if problem:
        module.fail_json(msg="Cannot run %s: %s" % (what, problem), command=argv, stdout="".join(stdout)[-4000:], stderr="".join(stderr)[-4000:])
    return rc, "".join(stdout), "".join(stderr)


def _read_until_closed(response, stdout, stderr, timeout):
    """Collect stdout/stderr until the server closes the stream; False when ``timeout`` ran out."""
    deadline = time.monotonic() + timeout
    while response.is_open():
        response.update(timeout=1)
        if response.peek_stdout():
            stdout.append(response.read_stdout())
        if response.peek_stderr():
            stderr.append(response.read_stderr())
        if time.monotonic() > deadline:
            return False
    # frames that arrived with the close
    stdout.append(response.read_channel(1))
    stderr.append(response.read_channel(2))
    return True


def _close(response):
    # closing a broken socket may fail too; the outcome is known already
    with contextlib.suppress(Exception):
        response.close()


def exit_status(text):
    """Read the v1 Status the API server sends on the exec's error channel.

    Returns ``(rc, None)`` for a finished command, or ``(None, reason)`` when the command did not
    run: a ``Failure`` that is not ``NonZeroExitCode`` (a program that cannot be started), or no
    status at all (the stream was cut). Pure.
    """
    if not text:
        return None, "the connection closed without an exit status (the exec was cut off)"
    try:
        status = json.loads(text)
    except ValueError:
        return None, "unreadable exit status %r" % shorten(text)
    if not isinstance(status, dict):
        return None, "unreadable exit status %r" % shorten(text)
    if status.get("status") == "Success":
        return 0, None
    details = status.get("details") or {}
    if status.get("reason") == "NonZeroExitCode":
        for cause in details.get("causes") or []:
            if cause.get("reason") == "ExitCode" and str(cause.get("message", "")).lstrip("-").isdigit():
                return int(cause["message"]), None
    message = status.get("message") or shorten(text)
    if _NOT_STARTED_RE.search(message):
        message += " (is alluxio_bin right?)"
    return None, message


def start_failure(exc):
    """Why the API server refused to start the exec, from the ApiException the client raises.

    The websocket client turns a refused handshake into ``ApiException(status=0)`` whose reason
    carries the HTTP status and the v1 Status body; the original error is its ``__context__``.
    """
    cause = exc.__context__
    code = getattr(cause, "status_code", None) or exc.status or None
    body = getattr(cause, "resp_body", None) or exc.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    reason = str(exc.reason or "")
    match = _HANDSHAKE_RE.match(reason)
    if match:
        code = code or int(match.group("code"))
        body = body or match.group("body")
    message = _status_message(body) or (shorten(body.strip()) if body and body.strip() not in ("None", "") else None)
    if message is None:
        message = "%s" % shorten(reason) if reason else "no reason given"
    return "HTTP %s: %s" % (code, message) if code else message


def _status_message(body):
    if not body:
        return None
    text = body.strip()
    if text.startswith(("b'", 'b"')):  # older websocket-client printed the body as bytes' repr
        text = text[2:-1]
    try:
        status = json.loads(text)
    except ValueError:
        return None
    return status.get("message") if isinstance(status, dict) else None


def _kubernetes(module):
    """The Kubernetes client and kubernetes.core's client factory, imported when a pod is contacted:
    text mode needs neither, and importing the client takes a quarter of a second."""
    # pylint: disable=import-outside-toplevel
    try:
        from kubernetes import client  # noqa: PLC0415
        from kubernetes.client.rest import ApiException  # noqa: PLC0415
        from kubernetes.stream import stream  # noqa: PLC0415

        from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client  # noqa: PLC0415
    except ImportError:
        module.fail_json(msg=missing_required_lib("kubernetes"), exception=traceback.format_exc())
    return _Kubernetes(client, ApiException, stream, get_api_client)


class _Kubernetes(object):
    def __init__(self, client, api_exception, stream, get_api_client):
        self.client = client
        self.ApiException = api_exception  # pylint: disable=invalid-name
        self.stream = stream
        self.get_api_client = get_api_client


def _api_client(module, k8s, what):
    """A kubernetes ApiClient from kubernetes.core's factory: the module's connection options,
    then K8S_AUTH_* variables, then in-cluster credentials or a kubeconfig."""
    auth = {name: module.params.get(name) for name in AUTH_ARG_SPEC}
    try:
        api_client = k8s.get_api_client(**auth).client.client
    except Exception as exc:  # ConfigException, CoreException, connection errors of the discovery
        module.fail_json(msg="Cannot connect to Kubernetes to run %s: %s" % (what, exc), exception=traceback.format_exc())
    # kubernetes.stream opens the exec websocket with the Authorization header only: impersonation
    # headers would be dropped and the command would run as the caller itself. Refuse instead.
    impersonating = sorted({str(name) for name in api_client.default_headers if str(name).lower().startswith("impersonate-")})
    if impersonating:
        module.fail_json(msg="Cannot run %s with impersonation (%s): the Kubernetes client's exec does not send impersonation "
                             "headers, so the command would run as the caller. Unset impersonate_user/impersonate_groups "
                             "(and K8S_AUTH_IMPERSONATE_*), or pass output." % (what, ", ".join(impersonating)))
    return api_client


def run_info_module(module, argv, parse, accept_failed_command=None, shape=None):
    """Common body of the info modules: get the text, parse it, exit.

    ``accept_failed_command(rc, stdout)`` may allow a non-zero exit whose stdout is still an
    answer (``fs stat`` of a missing path exits 255 and prints ``Path "..." does not exist.``).
    ``shape(parsed)`` may reduce the parsed result before it is returned.
    """
    result = dict(changed=False)
    text = module.params["output"]
    if text is not None:
        # Not echoed back: a large output would travel to the controller a second time, for nothing.
        result["invocation"] = {"module_args": dict(module.params, output="(%d characters, not repeated here)" % len(text))}
    else:
        rc, text, stderr = exec_in_pod(module, argv)
        result.update(command=argv, rc=rc)
        if rc != 0 and not (accept_failed_command and accept_failed_command(rc, text)):
            hint = " (126/127: the program could not be run; is alluxio_bin right?)" if rc in (126, 127) else ""
            module.fail_json(
                msg="Command %s failed with exit code %s%s" % (describe(module.params, argv), rc, hint),
                stdout=text[-4000:],
                stderr=stderr[-4000:],
                **result
            )
    try:
        parsed = parse(text, warn=module.warn)
    except AlluxioParseError as exc:
        module.fail_json(msg=str(exc), line=exc.line, **result)
    result.update(shape(parsed) if shape else parsed)
    module.exit_json(**result)
