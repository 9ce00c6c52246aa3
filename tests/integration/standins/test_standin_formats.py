# -*- coding: utf-8 -*-
"""Host-only checks of the stand-ins (no lab needed, a few seconds): the Alluxio stand-in's scripts
run under the same static busybox the image holds, and the charts render with the real charts'
names. The lab tests in test_standins.py then check the same things inside pods.
"""

import os
import random
import subprocess
import time

import pytest
import yaml
from conftest import REPO, STANDINS, helm_binary

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import format_size

BUSYBOX = os.environ.get("STANDIN_BUSYBOX", "/bin/busybox")
IMAGE = STANDINS / "alluxio" / "image"
SAMPLES = REPO / "tests" / "unit" / "plugins" / "module_utils" / "fixtures" / "samples"

pytestmark = pytest.mark.skipif(
    not os.path.exists(BUSYBOX) and os.environ.get("CI") != "true",
    reason="%s missing: apt-get install busybox-static" % BUSYBOX,
)


@pytest.fixture(scope="module")
def busybox_path(tmp_path_factory):
    """A PATH of busybox applets only, as in the image (so `awk` is busybox's awk, not the host's)."""
    applets = tmp_path_factory.mktemp("busybox-bin")
    listing = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True, check=True).stdout
    for applet in listing.split():
        (applets / applet).symlink_to(BUSYBOX)
    return str(applets)


def busybox_sh(path, script, *args, env=None):
    """Run an sh snippet under busybox with the stand-in's libexec where the image has it."""
    environment = {"PATH": path, "ALLUXIO_STANDIN_LIBEXEC": str(IMAGE)}
    environment.update(env or {})
    return subprocess.run([BUSYBOX, "sh", "-c", script, "sh", *args], capture_output=True, text=True, env=environment, check=False)


def report(kind, state, now, max_age=None, **extra):
    """Run the stand-in's report program over the registrations in <state>/workers."""
    workers = sorted(str(path) for path in (state / "workers").iterdir()) if (state / "workers").is_dir() else []
    variables = ["-v", "report=%s" % kind, "-v", "now=%d" % now, "-v", "metrics_file=%s" % (state / "metrics")]
    if max_age is not None:
        variables += ["-v", "max_age=%d" % max_age]
    for name, value in extra.items():
        variables += ["-v", "%s=%s" % (name, value)]
    result = subprocess.run(
        [BUSYBOX, "awk", *variables, "-f", str(IMAGE / "standin-report.awk"), "/dev/null", *workers],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def register(state, host, capacity, used, age, now, alias="MEM"):
    (state / "workers").mkdir(parents=True, exist_ok=True)
    (state / "workers" / host).write_text("%d %d %s %d\n" % (capacity, used, alias, now - age))


def test_capacity_replays_the_real_2_x_sample_byte_for_byte(tmp_path):
    # The 2.0-2.9 unit-test sample: 10^10 and 6*10^9 bytes of RAM, heartbeats 953 and 6424122 s.
    now = 1_000_000_000
    register(tmp_path, "215.42.95.24", 10_000_000_000, 500_000_000, 953, now, alias="RAM")
    register(tmp_path, "29.53.5.124", 6_000_000_000, 5_000_000_000, 6_424_122, now, alias="RAM")
    text = report("capacity", tmp_path, now, max_age=10**9)
    assert text == (SAMPLES / "report-capacity_2.0-2.9_unittest-single-tier.txt").read_text()


def test_capacity_of_two_1gi_workers_and_a_lost_one(tmp_path):
    now = int(time.time())
    register(tmp_path, "10.200.0.13", 1 << 30, 0, 3, now)
    register(tmp_path, "10.200.0.11", 1 << 30, 0, 0, now)
    register(tmp_path, "10.200.0.12", 1 << 30, 0, 30, now)  # no heartbeat for 30 s: LOST
    text = report("capacity", tmp_path, now)
    # Like the real master, the report of all workers keeps the lost one.
    assert text.splitlines()[0] == "Capacity information for all workers: "
    assert "10.200.0.11      0                capacity      1024.00MB\n" in text
    parsed = parse_capacity(text)
    assert parsed["range"] == "all"
    assert [w["name"] for w in parsed["workers"]] == ["10.200.0.11", "10.200.0.13", "10.200.0.12"]  # by heartbeat
    assert parsed["total_bytes"] == 3 * 1073741824

    live = parse_capacity(report("capacity", tmp_path, now, range="live"))
    assert live["range"] == "live"
    assert [w["name"] for w in live["workers"]] == ["10.200.0.11", "10.200.0.13"]
    assert live["total_bytes"] == 2147483648
    assert live["used_percentage"] == 0 and live["free_percentage"] == 100

    lost = parse_capacity(report("capacity", tmp_path, now, range="lost"))
    assert (lost["range"], [w["name"] for w in lost["workers"]]) == ("lost", ["10.200.0.12"])
    assert [w["last_heartbeat"] for w in lost["workers"]] == [30]


def test_lost_worker_fault_and_a_restarted_master(tmp_path):
    now = int(time.time())
    register(tmp_path, "10.200.0.11", 1 << 30, 0, 0, now)
    register(tmp_path, "10.200.0.13", 1 << 30, 0, 1, now)
    live = parse_capacity(report("capacity", tmp_path, now, range="live", lost="10.200.0.13"))
    assert [w["name"] for w in live["workers"]] == ["10.200.0.11"]
    lost = parse_capacity(report("capacity", tmp_path, now, range="lost", lost="10.200.0.13"))
    assert [w["name"] for w in lost["workers"]] == ["10.200.0.13"]
    # A master started after a worker's last heartbeat has never heard of it.
    fresh = parse_capacity(report("capacity", tmp_path, now, master_started=now))
    assert [w["name"] for w in fresh["workers"]] == ["10.200.0.11"]
    assert report("capacity", tmp_path, now, master_started=now + 1) == "No workers found.\n"


def test_metrics_count_live_workers_only(tmp_path):
    now = int(time.time())
    register(tmp_path, "10.200.0.11", 1 << 30, 0, 0, now)
    register(tmp_path, "10.200.0.12", 1 << 30, 0, 40, now)
    parsed = parse_metrics(report("metrics", tmp_path, now))
    assert parsed["metrics"]["Cluster.Workers"]["number"] == 1
    assert parsed["metrics"]["Cluster.CapacityTotal"]["value"] == "1,073,741,824"


def test_capacity_without_workers_and_with_a_long_worker_name(tmp_path):
    assert report("capacity", tmp_path, 0) == "No workers found.\n"
    register(tmp_path, "worker-with-a-long-name.example", 0, 0, 1, 100)
    lines = report("capacity", tmp_path, 100).splitlines()
    # Width = longest name + 5 once a name has 16 characters or more; no (pct%) for 0 capacity;
    # no percentage lines when the total is 0.
    assert lines[-3] == "Worker Name" + " " * 25 + " Last Heartbeat   Storage       MEM"
    assert lines[-1] == " " * 36 + " " + " " * 16 + " used          0B"
    assert not any("Percentage" in line for line in lines)


def test_sizes_match_getsizefrombytes_for_random_values(tmp_path):
    values = [0, 1, 5120, 5121, 10368, 1 << 30, 3 << 30, 5 << 30, (5 << 30) + 1] + [
        random.randrange(2 ** random.randint(1, 52)) for _count in range(500)
    ]
    (tmp_path / "metrics").write_text("".join("X.Bytes%04d COUNTER %d\n" % (i, v) for i, v in enumerate(values)))
    printed = {}
    for line in report("metrics", tmp_path, 0).splitlines():
        if line.startswith("X.Bytes"):
            name, rest = line.split("  (Type: COUNTER, Value: ")
            printed[int(name[len("X.Bytes"):])] = rest[:-1]
    assert [printed[i] for i in range(len(values))] == [format_size(v) for v in values]


def test_metrics_lines_format(tmp_path):
    (tmp_path / "metrics").write_text("Cluster.BytesReadRemote COUNTER 3145728\nMaster.FilesCreated COUNTER 1231\n")
    text = report("metrics", tmp_path, 0)
    lines = text.splitlines()
    assert lines == sorted(lines)
    assert "Cluster.BytesReadRemote  (Type: COUNTER, Value: 3072.00KB)" in lines
    assert "Cluster.BytesReadRemoteThroughput  (Type: GAUGE, Value: 0B/MIN)" in lines
    assert "Master.FilesCreated  (Type: COUNTER, Value: 1,231)" in lines
    parsed = parse_metrics(text)
    assert parsed["format"] == "lines"
    assert parsed["bytes_read"] == {"network": 3145728, "domain_socket": 0, "short_circuit_local": 0, "ufs": 0}


@pytest.mark.parametrize(
    ("quota", "expected"),
    [("1Gi", 1 << 30), ("512Mi", 512 << 20), ("1GB", 1 << 30), ("2G", 2 << 30), ("1073741824", 1 << 30),
     ("1.5GB", 3 << 29), ("1TiB", 1 << 40), ("3Ki,1Ki", 4096), ("1X", None), ("Gi", None), ("", None)],
)
def test_worker_quota_parsing(busybox_path, quota, expected):
    result = busybox_sh(busybox_path, '. "$ALLUXIO_STANDIN_LIBEXEC/standin-lib.sh"; standin_size_bytes "$1"', quota)
    if expected is None:
        assert result.returncode != 0
    else:
        assert (result.returncode, result.stdout) == (0, "%d\n" % expected)


def test_cli_usage_and_fs_stat(busybox_path, tmp_path):
    cli = str(IMAGE / "alluxio.sh")
    env = {"ALLUXIO_STANDIN_STATE": str(tmp_path)}
    stat = busybox_sh(busybox_path, 'exec sh "$@"', cli, "fs", "stat", "/nope", env=env)
    assert (stat.returncode, stat.stdout) == (255, 'Path "/nope" does not exist.\n')
    for args in (["fsadmin", "report"], ["fs", "ls", "/"], ["version"]):
        other = busybox_sh(busybox_path, 'exec sh "$@"', cli, *args, env=env)
        assert other.returncode == 1 and other.stderr.startswith("Usage: alluxio")


def render(chart, release, namespace, *values):
    command = [helm_binary(), "template", release, str(chart), "--namespace", namespace]
    for value in values:
        command += ["--set-string" if value.startswith("string:") else "--set", value.replace("string:", "", 1)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def by_name(documents):
    """{(kind, name): document}; only for charts whose names are unique per kind."""
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


def test_alluxio_chart_renders_the_real_names_and_options():
    objects = by_name(render(STANDINS / "alluxio" / "chart", "alluxio", "ns1", "string:worker.nodeSelector.alluxio=true", "shortCircuit.enabled=false"))
    assert set(objects) == {
        ("ConfigMap", "alluxio-config"), ("StatefulSet", "alluxio-master"),
        ("Service", "alluxio-master-0"), ("DaemonSet", "alluxio-worker"),
    }
    worker_opts = objects[("ConfigMap", "alluxio-config")]["data"]["ALLUXIO_WORKER_JAVA_OPTS"]
    assert "-Dalluxio.user.short.circuit.enabled=false " in worker_opts
    assert "-Dalluxio.worker.tieredstore.levels=1 -Dalluxio.worker.tieredstore.level0.alias=MEM " in worker_opts
    assert "-Dalluxio.worker.tieredstore.level0.dirs.quota=1Gi " in worker_opts
    pod = objects[("DaemonSet", "alluxio-worker")]["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"alluxio": "true"}
    assert [c["name"] for c in pod["containers"]] == ["alluxio-worker", "alluxio-job-worker"]
    assert not any(m["mountPath"] == "/opt/domain" for c in pod["containers"] for m in c["volumeMounts"])
    state = next(v for v in pod["volumes"] if v["name"] == "alluxio-standin-state")
    assert state["hostPath"] == {"path": "/var/lib/alluxio-standin/ns1", "type": "DirectoryOrCreate"}


def test_alluxio_chart_domain_socket_and_node_selector_fallback():
    objects = by_name(render(
        STANDINS / "alluxio" / "chart", "r", "ns1", "string:nodeSelector.pool=a", "shortCircuit.enabled=true",
        "shortCircuit.policy=uuid", "shortCircuit.volumeType=hostPath", "shortCircuit.hostPath=/tmp/alluxio-domain",
    ))
    worker_opts = objects[("ConfigMap", "alluxio-config")]["data"]["ALLUXIO_WORKER_JAVA_OPTS"]
    assert ("-Dalluxio.worker.data.server.domain.socket.address=/opt/domain "
            "-Dalluxio.worker.data.server.domain.socket.as.uuid=true ") in worker_opts
    assert "short.circuit.enabled" not in worker_opts
    pod = objects[("DaemonSet", "alluxio-worker")]["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"pool": "a"}
    assert {"name": "alluxio-domain", "mountPath": "/opt/domain"} in pod["containers"][0]["volumeMounts"]
    domain = next(v for v in pod["volumes"] if v["name"] == "alluxio-domain")
    assert domain["hostPath"] == {"path": "/tmp/alluxio-domain", "type": "DirectoryOrCreate"}


@pytest.mark.parametrize(
    ("release", "fullname"), [("spark-operator", "spark-operator"), ("foo", "foo-spark-operator"), ("my-spark-operator", "my-spark-operator")]
)
def test_spark_operator_chart_names(release, fullname):
    objects = by_name(render(STANDINS / "spark-operator" / "chart", release, "ops", "spark.jobNamespaces={jobs}"))
    assert ("Deployment", fullname + "-controller") in objects
    assert ("ServiceAccount", fullname + "-controller") in objects
    assert ("ClusterRole", fullname + "-controller") in objects
    assert ("ClusterRoleBinding", fullname + "-controller") in objects
    assert ("Deployment", fullname + "-webhook") in objects
    assert ("Service", fullname + "-webhook-svc") in objects
    for kind in ("ServiceAccount", "Role", "RoleBinding"):
        assert objects[(kind, fullname + "-spark")]["metadata"]["namespace"] == "jobs"
    container = objects[("Deployment", fullname + "-controller")]["spec"]["template"]["spec"]["containers"][0]
    assert container["name"] == "spark-operator-controller"
    assert container["image"] == "spark-operator-standin:2.5.2"


def test_spark_operator_chart_without_webhook_and_with_a_named_service_account():
    documents = render(
        STANDINS / "spark-operator" / "chart", "spark-operator", "ops", "webhook.enable=false",
        "spark.jobNamespaces={a,b}", "spark.serviceAccount.name=spark", "image.registry=docker.io",
        "image.repository=library/spark-operator-standin", "image.tag=t1",
    )
    assert not [doc for doc in documents if "webhook" in doc["metadata"]["name"]]
    for kind in ("ServiceAccount", "Role", "RoleBinding"):
        spark = sorted(doc["metadata"]["namespace"] for doc in documents if doc["kind"] == kind and doc["metadata"]["name"] == "spark")
        assert spark == ["a", "b"]
    role = next(doc for doc in documents if doc["kind"] == "Role")
    assert role["rules"] == [{
        "apiGroups": [""],
        "resources": ["pods", "configmaps", "persistentvolumeclaims", "services"],
        "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
    }]
    controller = next(doc for doc in documents if doc["kind"] == "Deployment")
    assert controller["spec"]["template"]["spec"]["containers"][0]["image"] == "docker.io/library/spark-operator-standin:t1"
