# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every real Alluxio output sample, parsed, with the values it must give."""

import os

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics

SAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "samples")


MB = 1024 ** 2
GB = 1024 ** 3


def read(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def parse(parser, name):
    warnings = []
    return parser(read(name), warn=warnings.append), warnings


def test_every_sample_is_covered():
    covered = set(FS_STAT) | set(METRICS) | set(CAPACITY) | {NOT_COVERED}
    present = {n for n in os.listdir(SAMPLES) if n.endswith(".txt")}
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
