# -*- coding: utf-8 -*-
"""Short-circuit on: the real workers serve a domain socket in a per-node host directory, which the role
hands to Alluxio's user first (kubelet would make it root's: Alluxio issue #18659), and clients are told to
look for it.
"""

from __future__ import annotations

import re
import stat
import uuid

import labkit
import pytest
from conftest import NAMESPACE, in_master, pods

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat

HOST_PATH = "/tmp/alluxio-domain"  # the role's default; /tmp is each lab node's own


@pytest.fixture(scope="module")
def playbook_vars():
    return ["-e", "alluxio_short_circuit_enabled=true"]


def worker_pods():
    return [p for p in pods() if p["metadata"]["name"] != "alluxio-master-0"]


def test_every_worker_serves_a_domain_socket_in_its_own_nodes_directory(deployed):
    for pod in worker_pods():
        node = pod["spec"]["nodeName"]
        log = labkit.kubectl("-n", NAMESPACE, "logs", pod["metadata"]["name"], "-c", "alluxio-worker").stdout
        [socket] = re.findall(r"Domain socket data server is enabled at /opt/domain/([0-9a-f-]{36})", log)
        # The node's own /tmp, seen from the host: the socket is there, and only that worker's.
        directory = labkit.STATE / "nodes" / node / "tmp" / "alluxio-domain"
        info = directory.stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1000, 1000, 0o755), node
        assert [entry.name for entry in directory.iterdir()] == [socket], node
        assert stat.S_ISSOCK((directory / socket).stat().st_mode)


def test_workers_are_live_and_blocks_name_their_socket(deployed):
    report = parse_capacity(in_master("alluxio", "fsadmin", "report", "capacity", "-live"))
    assert sorted(w["name"] for w in report["workers"]) == sorted(labkit.NODES.values())
    path = f"/sc-{uuid.uuid4().hex[:8]}"
    in_master("alluxio", "fs", "copyFromLocal", "/opt/alluxio/LICENSE", path)
    [worker] = parse_fs_stat(in_master("alluxio", "fs", "stat", path))["file"]["workers"]
    assert re.fullmatch(r"/opt/domain/[0-9a-f-]{36}", worker["domain_socket_path"]), worker


def test_clients_are_told_to_look_for_the_socket(deployed):
    config = labkit.kubectl_json("-n", NAMESPACE, "get", "configmap", "alluxio-config")["data"]
    # ALLUXIO_JAVA_OPTS reaches every process, and through the master every client
    assert "-Dalluxio.user.short.circuit.enabled=true" in config["ALLUXIO_JAVA_OPTS"].split()
    assert "-Dalluxio.worker.data.server.domain.socket.as.uuid=true" in config["ALLUXIO_JAVA_OPTS"].split()
    assert "-Dalluxio.worker.data.server.domain.socket.address=/opt/domain" in config["ALLUXIO_WORKER_JAVA_OPTS"].split()


def test_the_directory_pods_are_gone(deployed):
    assert [p["metadata"]["name"] for p in pods() if "domain-socket-dir" in p["metadata"]["name"]] == []
