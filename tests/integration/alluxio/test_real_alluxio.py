# -*- coding: utf-8 -*-
"""The real Alluxio 2.9.6, installed by the alluxio role from the real 2.9 chart with the lab inventory's
settings: every node runs a live worker, a file written lands in a worker's blocks, a read is counted by
channel, and the figures (time to ready, memory per process) are measured.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

import labkit
from conftest import IMAGE, NAMESPACE, in_master, playbook, pods, record_figure, worker_read_counters

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics

MIB = 1024 ** 2
ROUNDING = 2 * 5243  # two values printed in MB with two decimals: 0.005 MB each


def quantity(text: str) -> int:
    """A binary Kubernetes memory quantity (512Mi, 1Gi) in bytes."""
    units = {"Ki": 1024, "Mi": MIB, "Gi": 1024 ** 3}
    return int(text[:-2]) * units[text[-2:]]


def test_master_and_a_worker_per_node_are_ready_with_the_lab_image(deployed):
    by_name = {p["metadata"]["name"]: p for p in pods()}
    master = by_name.pop("alluxio-master-0")
    workers = list(by_name.values())
    assert sorted(p["spec"]["nodeName"] for p in workers) == sorted(labkit.NODES)
    for pod in [master, *workers]:
        statuses = pod["status"]["containerStatuses"]
        assert len(statuses) == 2 and all(s["ready"] for s in statuses), pod["metadata"]["name"]
        # containerd reports the image under its full name (docker.io/lab/alluxio:2.9.6), Docker as the pod names it
        expected = IMAGE if labkit.RUNTIMES[pod["spec"]["nodeName"]] == "docker" else labkit.containerd_ref(IMAGE)
        assert {s["image"] for s in statuses} == {expected}, pod["metadata"]["name"]
    assert sorted(c["name"] for c in master["spec"]["containers"]) == ["alluxio-job-master", "alluxio-master"]
    # the journal was formatted by the chart's init container, which the role turned on for an emptyDir journal
    assert [c["name"] for c in master["spec"]["initContainers"]] == ["journal-format"]


def test_capacity_lists_three_live_workers_named_by_their_node_ips(deployed):
    report = parse_capacity(in_master("alluxio", "fsadmin", "report", "capacity", "-live"))
    assert report["range"] == "live"
    assert sorted(w["name"] for w in report["workers"]) == sorted(labkit.NODES.values())
    assert {(w["state"], w["version"]) for w in report["workers"]} == {("ACTIVE", "2.9.6")}
    assert [w["capacity_bytes"] for w in report["workers"]] == [{"MEM": 256 * MIB}] * 3
    assert report["total_bytes"] == 3 * 256 * MIB


def test_alluxio_runs_on_java_17(deployed):
    version = labkit.kubectl("-n", NAMESPACE, "exec", "alluxio-master-0", "-c", "alluxio-master", "--",
                             "java", "-version").stderr
    assert version.startswith('openjdk version "17.'), version
    assert in_master("alluxio", "version").strip() == "2.9.6"


def test_a_copied_file_lands_on_a_worker_of_the_lab(deployed):
    path = f"/it-{uuid.uuid4().hex[:8]}"
    in_master("alluxio", "fs", "copyFromLocal", "/opt/alluxio/LICENSE", path)
    stat = parse_fs_stat(in_master("alluxio", "fs", "stat", path))
    assert stat["exists"] and stat["file"]["length"] == 27040 and stat["file"]["in_alluxio_percentage"] == 100
    [block] = stat["file"]["blocks"]
    [host] = block["hosts"]
    [worker] = stat["file"]["workers"]
    # The worker is named by its node's IP and reached at its pod's IP: both must match the cluster.
    node = next(name for name, ip in labkit.NODES.items() if ip == host)
    worker_pod = next(p for p in pods() if p["spec"]["nodeName"] == node and p["metadata"]["name"] != "alluxio-master-0")
    assert (worker["host"], worker["container_host"]) == (host, worker_pod["status"]["podIP"])
    assert stat["file"]["per_host"] == {host: {"blocks": 1, "bytes": 27040, "tiers": {"MEM": {"blocks": 1, "bytes": 27040}}}}


def test_a_read_over_the_network_counts_as_remote_bytes(deployed):
    size = 8 * MIB
    path = f"/read-{uuid.uuid4().hex[:8]}"
    in_master("sh", "-c", f"head -c {size} /dev/urandom > /tmp/read-test && alluxio fs copyFromLocal /tmp/read-test {path}")
    [host] = parse_fs_stat(in_master("alluxio", "fs", "stat", path))["file"]["blocks"][0]["hosts"]
    serving = next(name for name, ip in labkit.NODES.items() if ip == host)
    since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    workers_before = worker_read_counters()
    report_before = parse_metrics(in_master("alluxio", "fsadmin", "report", "metrics"))["bytes_read"]
    assert in_master("sh", "-c", f"alluxio fs cat {path} | wc -c").strip() == str(size)

    def observe():
        workers = worker_read_counters()
        counted = {node: workers[node]["remote"] - workers_before[node]["remote"] for node in workers}
        return counted, workers, parse_metrics(in_master("alluxio", "fsadmin", "report", "metrics"))["bytes_read"]

    # Exact, because the lab turns zero-copy off: with it on, 2.9.6 counts a chunk by what the transport has
    # not sent yet (measured under load: 6 of 20 reads of 8 MiB short, by 32,755 bytes to 1 MiB; with it off,
    # 0 of 55). inventory/lab/group_vars/all/alluxio.yml says why.
    expected = {node: size if node == serving else 0 for node in labkit.NODES}
    deadline = time.monotonic() + 60
    counted, workers, report = observe()
    # The worker counts a chunk just after sending it; the master hears of it with the next heartbeat (1 s).
    while (counted != expected or abs(report["network"] - report_before["network"] - size) > ROUNDING) and time.monotonic() < deadline:
        time.sleep(1)
        counted, workers, report = observe()
    # Only the worker holding the block served it, every byte of it, over the network; none through a socket.
    assert counted == expected
    shortfall = size - (report["network"] - report_before["network"])
    if abs(shortfall) > ROUNDING:
        # The master sums the deltas its workers' heartbeats carry. 2.9.6 drops the delta of a heartbeat from
        # a worker it has just declared lost (the lab's timeout is 20 s; measured: a 25 s master pause lost
        # 3 MiB of a 64 MiB read). Short is then right, and only then: the master's log must say so.
        lost = [line for line in labkit.kubectl("-n", NAMESPACE, "logs", "alluxio-master-0", "-c", "alluxio-master",
                                                f"--since-time={since}").stdout.splitlines()
                if f"host={host}," in line and "without a heartbeat" in line]
        assert 0 < shortfall <= size and lost, (shortfall, report["network"], report_before["network"])
    assert {node: w["domain"] for node, w in workers.items()} == {node: w["domain"] for node, w in workers_before.items()}
    assert (report["domain_socket"], report["short_circuit_local"]) == (report_before["domain_socket"], report_before["short_circuit_local"]) == (0, 0)


def test_memory_per_process_fits_the_pod_limits(deployed):
    rss = {}
    for pod in pods():
        for container in pod["spec"]["containers"]:
            status = labkit.kubectl("-n", NAMESPACE, "exec", pod["metadata"]["name"], "-c", container["name"], "--",
                                    "sh", "-c", "grep VmRSS /proc/$(pgrep -o java)/status").stdout
            rss_mib = int(status.split()[1]) // 1024
            assert rss_mib * MIB < quantity(container["resources"]["limits"]["memory"]), (pod["metadata"]["name"], container["name"])
            rss.setdefault(container["name"], []).append(rss_mib)
    record_figure("rss_mib", {name: sorted(values) for name, values in sorted(rss.items())})
    record_figure("rss_total_mib", sum(sum(values) for values in rss.values()))
    assert sorted(rss) == ["alluxio-job-master", "alluxio-job-worker", "alluxio-master", "alluxio-worker"]


def test_a_second_run_changes_nothing(deployed):
    again = playbook()
    assert again.returncode == 0, again.stdout[-3000:]
    recap = [line for line in again.stdout.splitlines() if line.startswith("localhost ")][-1]
    assert " changed=0 " in recap and " failed=0 " in recap, recap
