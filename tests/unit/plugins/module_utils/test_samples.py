# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every real Alluxio output sample, parsed, with the values it must give."""

import os

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.module_utils.alluxio_output_model import (
    capacity_output,
    metrics_lines_output,
)

SAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "samples")  # copies of the research samples
# outputs of the real Alluxio 2.9.6 that the tests run (PROVENANCE.md there)
CAPTURED = os.path.join(os.path.dirname(__file__), "fixtures", "captured")


MB = 1024 ** 2
GB = 1024 ** 3


def read(name):
    folder = CAPTURED if "_2.9.6_" in name else SAMPLES
    with open(os.path.join(folder, name)) as handle:
        return handle.read()


def parse(parser, name):
    warnings = []
    return parser(read(name), warn=warnings.append), warnings


def test_every_sample_is_covered():
    covered = set(FS_STAT) | set(METRICS) | set(CAPACITY) | {NOT_COVERED, FS_STAT_LAB}
    present = {n for folder in (SAMPLES, CAPTURED) for n in os.listdir(folder) if n.endswith(".txt")}
    assert present == covered


# `report summary` is not parsed by this collection (yet); listed so the coverage test stays exact.
NOT_COVERED = "report-summary_1.8-format-as-2.0_storage-mgmt-doc.txt"

# --- fs stat ---------------------------------------------------------------------------------

FS_STAT = {
    "fs-stat_2.2.1-enterprise_seed-doc_license-single-block.txt": "/opt/alluxio-2.3.0-SNAPSHOT/underFSStorage/LICENSE",
    "fs-stat_2.3_ack-doc_license-single-block.txt": "/opt/alluxio/underFSStorage/LICENSE",
}


@pytest.mark.parametrize("name", sorted(FS_STAT))
def test_fs_stat_license_sample(name):
    result, warnings = parse(parse_fs_stat, name)
    assert warnings == []
    assert result["exists"] is True
    assert result["path"] == "/LICENSE"
    assert result["worker_hosts"] == ["192.168.8.17"]
    info = result["file"]
    assert (info["name"], info["path"], info["ufs_path"]) == ("LICENSE", "/LICENSE", FS_STAT[name])
    assert info["length"] == 27040
    assert info["block_size_bytes"] == 67108864
    assert info["folder"] is False
    assert info["completed"] is True
    assert info["persisted"] is False
    assert info["persistence_state"] == "TO_BE_PERSISTED"
    assert (info["in_alluxio_percentage"], info["in_memory_percentage"]) == (100, 100)
    assert (info["mode"], info["mode_octal"], info["owner"], info["group"]) == (420, "0644", "root", "root")
    assert info["acl"] == "user::rw-,group::r--,other::r--"
    assert info["ufs_fingerprint"] == ""
    assert info["block_count"] == 1
    assert info["blocks"] == [{"id": 16777216, "hosts": ["192.168.8.17"]}]
    assert info["workers"] == [{
        "worker_id": 8217561227881498090,
        "host": "192.168.8.17",
        "container_host": "",
        "rpc_port": 29999,
        "data_port": 29999,
        "web_port": 30000,
        "domain_socket_path": "",
        "node": "192.168.8.17",
        "rack": None,
    }]
    assert info["per_host"] == {"192.168.8.17": {"blocks": 1, "bytes": 27040, "tiers": {"MEM": {"blocks": 1, "bytes": 27040}}}}


# --- report metrics ----------------------------------------------------------------------------

# Captured from the real Alluxio 2.9.6 on the lab (SOURCES.md): a file copied in by `fs copyFromLocal`,
# its one block on the worker of node 10.200.0.12 (pod IP 10.244.2.3), no domain socket.
FS_STAT_LAB = "fs-stat_2.9.6_lab_license-single-block.txt"


def test_fs_stat_real_2_9_6():
    result, warnings = parse(parse_fs_stat, FS_STAT_LAB)
    assert warnings == []
    assert (result["exists"], result["path"], result["worker_hosts"]) == (True, "/license", ["10.200.0.12"])
    info = result["file"]
    assert (info["name"], info["ufs_path"], info["length"]) == ("license", "/opt/alluxio/underFSStorage/license", 27040)
    assert (info["owner"], info["group"], info["mode_octal"]) == ("alluxio", "alluxio", "0644")
    assert (info["persisted"], info["persistence_state"], info["in_alluxio_percentage"]) == (False, "NOT_PERSISTED", 100)
    assert info["blocks"] == [{"id": 16777216, "hosts": ["10.200.0.12"]}]
    assert info["workers"] == [{
        "worker_id": 7668827716468138874, "host": "10.200.0.12", "container_host": "10.244.2.3",
        "rpc_port": 29999, "data_port": 29999, "web_port": 30000, "domain_socket_path": "",
        "node": "10.200.0.12", "rack": None}]
    assert info["per_host"] == {"10.200.0.12": {"blocks": 1, "bytes": 27040, "tiers": {"MEM": {"blocks": 1, "bytes": 27040}}}}


# The unit-test samples all print the same counters (FORMATS.md: same inputs, renamed metrics).
UNITTEST_READS = {
    "network": 421307351,  # 401.79MB
    "domain_socket": 4245228,  # 4145.73KB
    "short_circuit_local": 12315818721,  # 11.47GB
    "ufs": 534218015,  # 509.47MB
}
METRICS = {
    "report-metrics_2.0-2.1_unittest.txt": ("sectioned", UNITTEST_READS, 48),  # 7 + 7 + 3 + 12 + 13 + 6 rows
    "report-metrics_2.2-2.4_unittest.txt": ("lines", UNITTEST_READS, 19),
    "report-metrics_2.5-2.9_unittest.txt": ("lines", UNITTEST_READS, 19),
    "report-metrics_2.2.1-enterprise_seed-doc_network-only.txt": (
        "lines", {"network": 297441, "domain_socket": 0, "short_circuit_local": None, "ufs": None}, 4),
    "report-metrics_2.3_ack-doc_domain-socket-excerpt.txt": (
        "lines", {"network": 0, "domain_socket": 243364, "short_circuit_local": None, "ufs": None}, 4),
    # Real 2.9.6 on the lab, before and after `fs cat` of the 27040-byte file from the master pod: the read
    # went over the network (26.41KB as printed); every counter is printed, at zero too.
    "report-metrics_2.9.6_lab_before-read.txt": (
        "lines", {"network": 0, "domain_socket": 0, "short_circuit_local": 0, "ufs": 0}, 188),
    "report-metrics_2.9.6_lab_after-network-read.txt": (
        "lines", {"network": 27044, "domain_socket": 0, "short_circuit_local": 0, "ufs": 0}, 208),
}


@pytest.mark.parametrize("name", sorted(METRICS))
def test_metrics_sample(name):
    output_format, reads, count = METRICS[name]
    result, warnings = parse(parse_metrics, name)
    assert result["format"] == output_format
    assert result["bytes_read"] == reads
    assert len(result["metrics"]) == count
    if name.endswith("domain-socket-excerpt.txt"):
        # the doc's own '......' truncation line is reported, and the rest still parses
        assert warnings == ["alluxio fsadmin report metrics: ignored unexpected line 5: '......' (please report this output format)"]
    else:
        assert warnings == []


def test_seed_metrics_network_only():
    metrics = parse(parse_metrics, "report-metrics_2.2.1-enterprise_seed-doc_network-only.txt")[0]["metrics"]
    assert metrics["Cluster.BytesReadAlluxio"] == {
        "type": "COUNTER", "value": "290.47KB", "bytes": 297441, "per_minute": False, "number": None}
    assert metrics["Cluster.BytesReadAlluxioThroughput"] == {
        "type": "GAUGE", "value": "22.34KB/MIN", "bytes": 22876, "per_minute": True, "number": None}
    assert metrics["Cluster.BytesReadDomain"]["bytes"] == 0
    assert metrics["Cluster.BytesReadDomainThroughput"] == {
        "type": "GAUGE", "value": "0B/MIN", "bytes": 0, "per_minute": True, "number": None}


def test_metrics_lines_value_kinds():
    metrics = parse(parse_metrics, "report-metrics_2.5-2.9_unittest.txt")[0]["metrics"]
    assert metrics["Cluster.BytesReadRemote"]["bytes"] == 421307351
    assert "Cluster.BytesReadAlluxio" not in metrics
    # not a size: no 'Bytes' in the name, so comma-grouped and not unit-formatted
    assert metrics["Cluster.CapacityTotal"] == {
        "type": "GAUGE", "value": "1,154,531,246,129,122", "bytes": None, "per_minute": False, "number": 1154531246129122.0}
    assert metrics["Master.UfsSessionCount-Ufs:file:___Users_alluxio_alluxioMountedFolder"]["number"] == 1231.0
    assert metrics["Master.getMetrics.User:alluxio"] == {
        "type": "TIMER", "value": "4", "bytes": None, "per_minute": False, "number": 4.0}
    assert metrics["Cluster.BytesWrittenDomainThroughput"]["bytes"] == 1231227  # 1202.37KB/MIN = 1231226.88 bytes


def test_metrics_sectioned_rows():
    metrics = parse(parse_metrics, "report-metrics_2.0-2.1_unittest.txt")[0]["metrics"]
    assert metrics["Total IO / From Remote Instances"]["bytes"] == 421307351
    # throughput rows have no /MIN suffix in 2.0-2.1 but are rates all the same
    assert metrics["Total IO Throughput (Last Minute) / From Remote Instances"] == {
        "type": None, "value": "518.36MB", "bytes": 543539855, "per_minute": True, "number": None}
    assert metrics["Cache Hit Rate (Percentage) / Alluxio Local"]["number"] == 92.80
    assert metrics["Logical Operations / File Infos Got"]["number"] == 12312321434276.0
    assert metrics["RPC Invocations / Get New Block Operations"]["number"] == 912572136653.0
    assert metrics["master.CapacityTotal"]["number"] == 1154531246129122.0
    assert metrics["heap.used"]["number"] == 0.00283
    assert metrics["pools.Metaspace.max"]["number"] == -1.0
    assert metrics["UfsSessionCount-Ufs:_alluxio_underFSStorage"]["value"] == "8,535"


# --- report capacity ---------------------------------------------------------------------------

CAPACITY = {
    "report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt": dict(
        total=3 * GB, used=0, pct=(0, 100), tiers={"MEM": {"total_bytes": 3 * GB, "used_bytes": 0}},
        workers=[("192.168.8.15", {"MEM": GB}), ("192.168.8.16", {"MEM": GB}), ("192.168.8.17", {"MEM": GB})]),
    "report-capacity_2.3_ack-doc_two-workers-mem.txt": dict(
        total=2 * GB, used=0, pct=(0, 100), tiers={"MEM": {"total_bytes": 2 * GB, "used_bytes": 0}},
        workers=[("192.168.5.202", {"MEM": GB}), ("192.168.5.201", {"MEM": GB})]),
    "report-capacity_2.0-2.9_unittest-single-tier.txt": dict(
        total=15998753178, used=5497558139, pct=(34, 66), tiers={"RAM": {"total_bytes": 15998753178, "used_bytes": 5497558139}},
        workers=[("215.42.95.24", {"RAM": 9996536381}), ("29.53.5.124", {"RAM": 6002216796})]),
    "report-capacity_2.0-2.9_unittest-multitier.txt": dict(
        total=31997506355, used=10995116278, pct=(34, 66), tiers=None,
        workers=[("216.239.33.96", {"MEM": 4999998341, "SSD": 4999998341, "DOM": 9996536381}),
                 ("64.68.90.1", {"MEM": 4000002867, "HDD": 2000001434, "RAM": 6002216796})]),
    "report-capacity_2.0-2.9_unittest-long-worker-name.txt": dict(
        total=3200002294, used=1099998167, pct=(34, 66), tiers=None,
        workers=[("org.apache.hdp1", {"MEM": 599995187, "SSD": 599995187}),
                 ("org.alluxio.long.host1", {"MEM": 599995187, "HDD": 199994900})]),
    "report-capacity_2.10-SNAPSHOT_unittest-multitier.txt": dict(
        total=31997506355, used=10995116278, pct=(34, 66), tiers=None,
        workers=[("216.239.33.96", {"MEM": 4999998341, "SSD": 4999998341, "DOM": 9996536381}),
                 ("64.68.90.1", {"MEM": 4000002867, "HDD": 2000001434, "RAM": 6002216796})]),
    "report-capacity_2.10-SNAPSHOT_admin-cli-doc_state-version-columns.txt": dict(
        total=11456825262, used=0, pct=(0, 100), tiers={"MEM": {"total_bytes": 11456825262, "used_bytes": 0}},
        workers=[("data-worker-1", {"MEM": 11456825262})]),
    # Real 2.9.6: the lab's three workers (named by node IP, 256Mi MEM each) after a 27040-byte write, and
    # the smoke test's single worker after its JVM was killed (LOST, still listed with its capacity).
    "report-capacity_2.9.6_lab_three-live-workers.txt": dict(
        total=768 * MB, used=27044, pct=(0, 100), tiers={"MEM": {"total_bytes": 768 * MB, "used_bytes": 27044}},
        workers=[("10.200.0.12", {"MEM": 256 * MB}), ("10.200.0.13", {"MEM": 256 * MB}), ("10.200.0.11", {"MEM": 256 * MB})]),
    "report-capacity_2.9.6_smoke_lost-worker.txt": dict(
        total=64 * MB, used=27044, pct=(0, 100), tiers={"MEM": {"total_bytes": 64 * MB, "used_bytes": 27044}},
        workers=[("127.0.0.1", {"MEM": 64 * MB})]),
}


@pytest.mark.parametrize("name", sorted(CAPACITY))
def test_capacity_sample(name):
    want = CAPACITY[name]
    result, warnings = parse(parse_capacity, name)
    assert warnings == []
    assert result["range"] == "all"
    assert (result["total_bytes"], result["used_bytes"]) == (want["total"], want["used"])
    assert (result["used_percentage"], result["free_percentage"]) == want["pct"]
    if want["tiers"] is not None:
        assert result["tiers"] == want["tiers"]
    assert [(w["name"], w["capacity_bytes"]) for w in result["workers"]] == want["workers"]
    assert result["worker_count"] == len(want["workers"])


def test_capacity_real_2_9_6_states_and_vcpus():
    live = parse(parse_capacity, "report-capacity_2.9.6_lab_three-live-workers.txt")[0]
    assert live["total_vcpus"] == 3
    assert [(w["state"], w["version"], w["used_bytes"]["MEM"]) for w in live["workers"]] == [
        ("ACTIVE", "2.9.6", 27044), ("ACTIVE", "2.9.6", 0), ("ACTIVE", "2.9.6", 0)]
    assert {w["revision"] for w in live["workers"]} == {"f61a8b08ee0e0d0bbc357832f11fd84f401bc0cb"}
    lost = parse(parse_capacity, "report-capacity_2.9.6_smoke_lost-worker.txt")[0]
    assert (lost["total_vcpus"], lost["workers"][0]["state"], lost["workers"][0]["last_heartbeat"]) == (1, "LOST", 28)


def test_capacity_seed_three_workers():
    result = parse(parse_capacity, "report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt")[0]
    assert result["workers"][2] == {
        "name": "192.168.8.17", "state": None, "last_heartbeat": 0, "version": None, "revision": None,
        "capacity_bytes": {"MEM": 1073741824}, "used_bytes": {"MEM": 0}, "used_percentage": 0}


def test_capacity_multitier_used_row_and_dash():
    result = parse(parse_capacity, "report-capacity_2.0-2.9_unittest-multitier.txt")[0]
    second = result["workers"][1]
    assert second["last_heartbeat"] == 3123
    assert second["used_bytes"] == {"MEM": 2999996908, "HDD": 2000001434, "RAM": 4999998341}
    assert second["used_percentage"] == 83
    assert "SSD" not in second["capacity_bytes"]  # printed as '-'
    assert result["tiers"]["DOM"] == {"total_bytes": 9996536381, "used_bytes": 500002980}


def test_capacity_state_version_columns():
    result = parse(parse_capacity, "report-capacity_2.10-SNAPSHOT_unittest-multitier.txt")[0]
    assert [(w["state"], w["version"], w["revision"]) for w in result["workers"]] == [
        ("ACTIVE", "2.10.0-SNAPSHOT", "0123456789abcdef0123456789abcdef01234567"),
        ("ACTIVE", "2.9.3", "0123456789012345678901234567890123456789"),
    ]
    doc = parse(parse_capacity, "report-capacity_2.10-SNAPSHOT_admin-cli-doc_state-version-columns.txt")[0]
    assert (doc["workers"][0]["version"], doc["workers"][0]["last_heartbeat"]) == ("2.9.0", 166)


# --- the output model of the property tests, checked against the real 2.9.6 outputs -----------------

def test_model_prints_the_real_2_9_6_capacity_report():
    revision = "f61a8b08ee0e0d0bbc357832f11fd84f401bc0cb"
    workers = [{"name": name, "heartbeat": 0, "capacity": {"MEM": 256 * MB}, "used": {"MEM": used},
                "state": "ACTIVE", "version": "2.9.6", "revision": revision}
               for name, used in (("10.200.0.12", 27044), ("10.200.0.13", 0), ("10.200.0.11", 0))]
    assert capacity_output(workers, ["MEM"], state_columns=True, vcpus=3) == read(
        "report-capacity_2.9.6_lab_three-live-workers.txt")
    lost = [{"name": "127.0.0.1", "heartbeat": 28, "capacity": {"MEM": 64 * MB}, "used": {"MEM": 27044},
             "state": "LOST", "version": "2.9.6", "revision": revision}]
    assert capacity_output(lost, ["MEM"], state_columns=True, vcpus=1) == read("report-capacity_2.9.6_smoke_lost-worker.txt")


def test_model_prints_the_real_2_9_6_metrics_report():
    real = read("report-metrics_2.9.6_lab_after-network-read.txt")
    printed = {}
    for line in real.splitlines():
        name, rest = line.split("  (Type: ", 1)
        kind, value = rest[:-1].split(", Value: ", 1)
        printed[name] = (kind, value)
    assert metrics_lines_output(printed) == real
