# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted Kubernetes exec endpoint underneath the real Kubernetes client.

Only the network is replaced. The modules call the real ``kubernetes.stream.stream``, which runs
the real ``websocket_call`` and ``WSClient`` (channel demultiplexing, the error channel 3 and its
v1 Status, ``returncode``); what they talk to is a ``ScriptedSocket`` that plays the frames an API
server sends, or a handshake refused the way websocket-client refuses it. kubernetes.core's client
factory also runs as it is, minus its API discovery (no server to discover).

The frame sequences and Status bodies are those an API server sends (checked on the lab cluster by
tests/integration/modules): the command's output on channels 1 and 2, then one frame on channel 3
with a v1 Status, then a close frame.
"""

import contextlib
import json
import socket

from kubernetes.stream import ws_client
from websocket import ABNF, WebSocketBadStatusException

from ansible_collections.kubernetes.core.plugins.module_utils.k8s import client as k8s_factory

V4 = "v4.channel.k8s.io"


def status_success():
    return {"metadata": {}, "status": "Success"}


def status_exit_code(code):
    """What the kubelet reports for a command that ran and exited non-zero (as seen on the lab's Docker nodes;
    there a program that cannot be started exits 126, with the runtime's message on stdout)."""
    return {
        "metadata": {}, "status": "Failure", "message": "command terminated with non-zero exit code: Error executing in Docker Container: %d" % code,
        "reason": "NonZeroExitCode", "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def status_failure(message, reason="InternalError", code=500):
    """A Status without exit code: the program could not be started (containerd/CRI-O runtimes)."""
    return {"metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code,
            "details": {"causes": [{"message": message}]}}


def refused_status(code, reason, message):
    """The body of an exec the API server refuses before the websocket opens."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}


class Frame(object):
    def __init__(self, data):
        self.data = data


class ScriptedSocket(object):
    """What ``websocket.WebSocket`` is to WSClient: ``sock`` (a real descriptor, for poll),
    ``connected``, ``subprotocol``, ``recv_data_frame``, ``close``.

    ``frames`` are ``(opcode, bytes)``. ``hang``: after the frames, nothing more ever arrives.
    ``cut``: after the frames, the connection drops without a close frame.
    """

    def __init__(self, frames, hang=False, cut=False):
        self.frames = list(frames)
        self.hang = hang
        self.cut = cut
        self.subprotocol = V4
        self.connected = True
        self.closed = False
        self.sock, self._peer = socket.socketpair()
        if self.frames:
            self._peer.send(b"!")  # readable while frames remain
        else:
            self._exhausted()

    def _exhausted(self):
        if self.cut:
            self.connected = False
        if self.hang or self.cut:
            self.sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                self.sock.recv(1)

    def recv_data_frame(self, control_frame=False):
        opcode, data = self.frames.pop(0)
        if not self.frames:
            self._exhausted()
        return opcode, Frame(data)

    def getheaders(self):
        return {"sec-websocket-protocol": V4}

    def send(self, payload, opcode=ABNF.OPCODE_TEXT):
        raise AssertionError("the modules never write to the pod (stdin=False)")

    def close(self, **kwargs):
        self.closed = True
        self.connected = False
        self.sock.close()
        self._peer.close()


class ExecEndpoint(object):
    """Installed in place of ``ws_client.create_websocket``; records every connection attempt."""

    def __init__(self):
        self.connections = []
        self.next = None

    def serve(self, stdout="", stderr="", status=None, chunk=7000, hang=False, cut=False):
        """The next exec: ``stdout``/``stderr`` in frames of ``chunk`` bytes, then ``status`` on
        channel 3 (a dict; None sends none) and a close frame (unless ``hang`` or ``cut``)."""
        frames = []
        for channel, text in ((1, stdout), (2, stderr)):
            data = text.encode("utf-8")
            frames += [(ABNF.OPCODE_BINARY, bytes([channel]) + data[i:i + chunk]) for i in range(0, len(data), chunk)]
        if status is not None:
            frames.append((ABNF.OPCODE_BINARY, b"\x03" + json.dumps(status).encode("utf-8")))
        if not (hang or cut):
            frames.append((ABNF.OPCODE_CLOSE, b""))
        self.next = ("frames", frames, hang, cut)

    def refuse(self, code, reason_phrase, body):
        """The next exec is refused at the websocket handshake with HTTP ``code``: the API server answers with a
        v1 Status (``body`` a dict), the kubelet with plain text (a str); None is no body."""
        self.next = ("refuse", code, reason_phrase, json.dumps(body) + "\n" if isinstance(body, dict) else body)

    def unreachable(self, message="Connection refused"):
        self.next = ("unreachable", message)

    def __call__(self, configuration, url, headers=None):
        self.connections.append({"configuration": configuration, "url": url, "headers": dict(headers or {})})
        kind = self.next[0]
        if kind == "refuse":
            _kind, code, phrase, body = self.next
            headers = {"content-type": "application/json", "content-length": str(len(body or ""))}
            # websocket-client's own wording (websocket/_handshake.py); no body prints as None
            raise WebSocketBadStatusException(
                "Handshake status %d %s -+-+- %s -+-+- %s" % (code, phrase, headers, body), code, phrase, headers,
                None if body is None else body.encode("utf-8"))
        if kind == "unreachable":
            raise ConnectionRefusedError(111, self.next[1])
        _kind, frames, hang, cut = self.next
        return ScriptedSocket(frames, hang=hang, cut=cut)


class NoDiscovery(object):
    """kubernetes.core's LazyDiscoverer reads the API server's resource list when a client is made;
    there is no server here. Everything else in the factory runs."""

    def __init__(self, client, cache_file=None):
        self.client = client


def install(monkeypatch):
    """Put the scripted endpoint under the real client; return it."""
    endpoint = ExecEndpoint()
    monkeypatch.setattr(ws_client, "create_websocket", endpoint)
    monkeypatch.setattr(k8s_factory, "LazyDiscoverer", NoDiscovery)
    monkeypatch.setattr(k8s_factory, "_pool", {})  # kubernetes.core caches clients per configuration
    return endpoint
