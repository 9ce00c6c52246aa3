# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: generated Alluxio outputs round-trip exactly; arbitrary input never crashes."""

import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    format_size,
    parse_size,
)
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_wordcount import parse_wordcount
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.module_utils.alluxio_output_model import (
    STAT_LAYOUTS,
    capacity_output,
    fs_stat_output,
    metrics_json_output,
    metrics_lines_output,
    metrics_sectioned_output,
)

# Path components with the characters that make Alluxio's unescaped toString ambiguous.
NASTY = [", ", "=", "{", "}", "[", "]", "(", ")", ", path=", ", ufsPath=x", ", name=", ", length=1", "\u2028", "\x85"]
segment = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/"), min_size=1, max_size=8)),
    min_size=1, max_size=4,
).map("".join).filter(lambda s: s.strip() == s and s.strip())
paths = st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts))
# Hosts are DNS names or IPs in practice; ', ' and '=' are allowed here to prove key anchoring.
hosts = st.from_regex(r"\A[a-z0-9][a-z0-9.=, -]{0,14}[a-z0-9]\Z")


def make_workers(rng, hosts_pool):
    """One worker per host, with the attributes a worker keeps for its lifetime."""
    return [{
        "worker_id": rng.randint(-(2 ** 63), 2 ** 63 - 1),
        "host": host,
        "container_host": rng.choice(["", "10.244.1.%d" % rng.randint(2, 250)]),
        "rpc_port": 29999,
        "data_port": 29999,
        "web_port": 30000,
        "domain_socket_path": rng.choice(["", "/opt/domain/%08x-4e0f" % rng.getrandbits(32)]),
        "node": host,
        "rack": rng.choice([None, "r1"]),
    } for host in hosts_pool]


def make_blocks(seed, count, hosts_pool, block_size):
    rng = random.Random(seed)
    workers = make_workers(rng, hosts_pool)
    blocks = []
    for index in range(count):
        locations = []
        for worker in rng.sample(workers, rng.randint(0, min(3, len(workers)))):
            location = dict(worker, tier_alias=rng.choice(["MEM", "SSD", "HDD"]), medium_type="MEM")
            locations.append(location)
        blocks.append({
            "id": 16777216 + index,
            "length": block_size,
            "offset": index * block_size,
            "ufs_locations": rng.choice([[], ["ufs-host-1"], ["ufs-host-1", "ufs-host-2"]]),
            "locations": locations,
        })
    return blocks


def expected_per_host(blocks):
    """Blocks and bytes per host, and per tier there, over the blocks with a copy on the host."""
    per_host = {}
    for block in blocks:
        tiers_by_host = {}
        for location in block["locations"]:
            tiers_by_host.setdefault(location["host"], set()).add(location["tier_alias"])
        for host, tiers in tiers_by_host.items():
            totals = per_host.setdefault(host, {"blocks": 0, "bytes": 0, "tiers": {}})
            totals["blocks"] += 1
            totals["bytes"] += block["length"]
            for tier in tiers:
                counted = totals["tiers"].setdefault(tier, {"blocks": 0, "bytes": 0})
                counted["blocks"] += 1
                counted["bytes"] += block["length"]
    return per_host


def make_entry(path, blocks, block_size, owner="alluxio"):
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return {
        "file_id": 33554431, "path": path, "name": name, "ufs_path": "/opt/alluxio/underFSStorage" + path,
        "folder": False, "length": sum(b["length"] for b in blocks), "block_size_bytes": block_size,
        "completed": True, "persisted": False, "persistence_state": "TO_BE_PERSISTED",
        "in_alluxio_percentage": 100, "in_memory_percentage": 100, "mode": 420, "owner": owner,
        "group": owner, "pinned": False, "ttl": -1, "ttl_action": "DELETE", "creation_time_ms": 1592381889733,
        "last_modification_time_ms": 1592381890390, "mount_id": 1, "ufs_fingerprint": "",
        "acl": "user::rw-,group::r--,other::r--", "default_acl": "", "blocks": blocks,
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    path=paths,
    hosts_pool=st.lists(hosts, min_size=1, max_size=4, unique=True),
    # mostly small files, one draw in four up to 20,000 blocks (a 1.2 TB file at 64 MB)
    count=st.one_of(st.integers(1, 40), st.integers(1, 40), st.integers(1, 40), st.integers(41, 20000)),
    seed=st.integers(0, 2 ** 32),
    layout=st.sampled_from(sorted(STAT_LAYOUTS)),
    log_lines=st.sampled_from([(), ("2026-11-23 10:00:00,123 INFO  NettyUtils - EPOLL_MODE is available",)]),
)
@example(path="/big, file=1", hosts_pool=["10.200.0.11", "10.200.0.12"], count=20000, seed=7, layout="2.9", log_lines=())
def test_fs_stat_round_trip(path, hosts_pool, count, seed, layout, log_lines):
    block_size = 64 * 1024 * 1024
    blocks = make_blocks(seed, count, hosts_pool, block_size)
    entry = make_entry(path, blocks, block_size)
    warnings = []
    result = parse_fs_stat(fs_stat_output(entry, layout, log_lines), warn=warnings.append)
    assert warnings == []
    parsed = result["file"]
    for block in blocks:
        for location in block["locations"]:
            if not STAT_LAYOUTS[layout]["container_host"]:  # 2.0-2.2 do not print it
                location["container_host"] = ""
            if STAT_LAYOUTS[layout].get("dora"):  # 3.x prints no TieredIdentity
                location["node"] = location["rack"] = None
    # each block names the hosts holding it; the workers' addresses are listed once, the totals per host and tier
    assert parsed["blocks"] == [{"id": b["id"], "hosts": list(dict.fromkeys(loc["host"] for loc in b["locations"]))} for b in blocks]
    assert sorted(parsed["workers"], key=repr) == sorted(
        {repr(w): w for w in ({k: v for k, v in loc.items() if k not in ("tier_alias", "medium_type")} for b in blocks for loc in b["locations"])}.values(),
        key=repr)
    assert parsed["per_host"] == expected_per_host(blocks)
    assert parsed["block_count"] == len(blocks)
    assert (parsed["path"], parsed["name"], parsed["ufs_path"]) == (entry["path"], entry["name"], entry["ufs_path"])
    assert parsed["length"] == entry["length"]
    assert result["worker_hosts"] == sorted({loc["host"] for b in blocks for loc in b["locations"]})


@settings(max_examples=40, deadline=None)
@given(path=paths, layout=st.sampled_from(sorted(STAT_LAYOUTS)))
def test_fs_stat_directory_and_empty_file(path, layout):
    directory = make_entry(path, [], 67108864)
    directory["folder"] = True
    result = parse_fs_stat(fs_stat_output(directory, layout))
    assert result["file"]["folder"] is True
    assert result["file"]["path"] == path
    assert result["worker_hosts"] == []
    empty = make_entry(path, [], 67108864)
    text = fs_stat_output(empty, layout)
    assert "This file does not contain any blocks." in text
    assert parse_fs_stat(text)["file"]["blocks"] == []


# --- metrics -------------------------------------------------------------------------------------

metric_names = st.from_regex(r"\A(Cluster|Master|Worker|Client)\.[A-Za-z]{1,20}(\.[A-Za-z]+:[a-z%:_0-9]{1,10}|-Ufs:[a-z_:]{1,12})?\Z")


@st.composite
def metric_values(draw):
    kind = draw(st.sampled_from(["size", "rate", "int", "double", "text"]))
    if kind in ("size", "rate"):
        num_bytes = draw(st.integers(0, 2 ** 62))
        text = format_size(num_bytes) + ("/MIN" if kind == "rate" else "")
        return kind, text, num_bytes
    if kind == "int":
        number = draw(st.integers(-(10 ** 15), 10 ** 15))
        return kind, "{:,}".format(number), number
    if kind == "double":
        mantissa = draw(st.integers(1, 10 ** 9))
        exponent = draw(st.integers(-9, 0))
        return kind, "%d.%dE%d" % (mantissa // 10 ** 8 or 1, mantissa % 10 ** 8, exponent), None
    return kind, draw(st.sampled_from(["NaN", "true", "[]", "n/a"])), None


def check_metric(parsed, kind, text, expected):
    assert parsed["value"] == text
    if kind in ("size", "rate"):
        # the parsed bytes are what the printed text says (a printed 5.00KB is 5120 bytes even if
        # 5121 were counted), and within the printing precision of the true count
        assert parsed["bytes"] == parse_size(text[:-4] if kind == "rate" else text)
        # two printed decimals of a unit that is used only above 5 units: within 0.1%
        assert abs(parsed["bytes"] - expected) <= expected // 1000 + 1
        assert parsed["per_minute"] is (kind == "rate")
        assert parsed["number"] is None
    elif kind == "int":
        assert parsed["number"] == float(expected) and parsed["bytes"] is None
    elif kind == "double":
        assert parsed["number"] == float(text)
    else:
        assert parsed["number"] is None and parsed["bytes"] is None


@settings(max_examples=150, deadline=None)
@given(
    metrics=st.dictionaries(metric_names, st.tuples(st.sampled_from(["GAUGE", "COUNTER", "TIMER", "METER"]), metric_values()), min_size=1, max_size=40),
    as_json=st.booleans(),
)
def test_metrics_round_trip(metrics, as_json):
    printed = {name: (mtype, value[1]) for name, (mtype, value) in metrics.items()}
    text = metrics_json_output(printed) if as_json else metrics_lines_output(printed)
    result = parse_metrics(text)
    assert result["format"] == ("json" if as_json else "lines")
    assert sorted(result["metrics"]) == sorted(metrics)
    for name, (mtype, (kind, value_text, expected)) in metrics.items():
        assert result["metrics"][name]["type"] == mtype
        check_metric(result["metrics"][name], kind, value_text, expected)


@settings(max_examples=100, deadline=None)
@given(
    network=st.integers(0, 2 ** 50), domain=st.integers(0, 2 ** 50), local=st.integers(0, 2 ** 50),
    ufs=st.integers(0, 2 ** 50), renamed=st.booleans(), drop=st.sets(st.sampled_from(["network", "domain_socket", "short_circuit_local", "ufs"])),
)
def test_bytes_read_channels(network, domain, local, ufs, renamed, drop):
    names = {
        "network": "Cluster.BytesReadRemote" if renamed else "Cluster.BytesReadAlluxio",
        "domain_socket": "Cluster.BytesReadDomain",
        "short_circuit_local": "Cluster.BytesReadLocal",
        "ufs": "Cluster.BytesReadUfsAll",
    }
    values = {"network": network, "domain_socket": domain, "short_circuit_local": local, "ufs": ufs}
    printed = {names[c]: ("COUNTER", format_size(v)) for c, v in values.items() if c not in drop}
    printed["Master.FilesCreated"] = ("COUNTER", "3")
    for as_text in (metrics_lines_output(printed), metrics_json_output(printed)):
        reads = parse_metrics(as_text)["bytes_read"]
        for channel, value in values.items():
            if channel in drop:
                assert reads[channel] is None  # not reported is not zero
            else:
                assert reads[channel] == parse_size(format_size(value))
    sections = [("Total IO", [(label, format_size(values[c])) for label, c in (
        ("Short-circuit Read", "short_circuit_local"), ("Short-circuit Read (Domain Socket)", "domain_socket"),
        ("From Remote Instances", "network"), ("Under Filesystem Read", "ufs")) if c not in drop])]
    sections.append(("Other Metrics", [("heap.used", "0.00283")]))
    reads = parse_metrics(metrics_sectioned_output(sections))["bytes_read"]
    for channel, value in values.items():
        assert reads[channel] == (None if channel in drop else parse_size(format_size(value)))


# --- capacity ------------------------------------------------------------------------------------

@st.composite
def capacity_reports(draw):
    tiers = draw(st.sampled_from([["MEM"], ["RAM"], ["MEM", "SSD"], ["MEM", "SSD", "HDD"]]))
    names = draw(st.lists(st.from_regex(r"\A[a-z0-9][a-z0-9.-]{0,30}\Z"), min_size=1, max_size=12, unique=True))
    workers = []
    for position, name in enumerate(names):
        own = [t for t in tiers if draw(st.booleans())] or tiers[:1]
        capacity = {t: draw(st.integers(0, 2 ** 45)) for t in own}
        used = {t: draw(st.integers(0, capacity[t])) for t in own}
        workers.append({"name": name, "heartbeat": position * 7, "capacity": capacity, "used": used,
                        "state": draw(st.sampled_from(["ACTIVE", "LOST"]))})
    vcpus = draw(st.none() | st.integers(0, 4096))
    return tiers, workers, draw(st.booleans()), vcpus


@settings(max_examples=150, deadline=None)
@given(report=capacity_reports())
def test_capacity_round_trip(report):
    tiers, workers, state_columns, vcpus = report
    if len(tiers) == 1:  # single-tier rows cannot show a missing tier: every worker has it
        for worker in workers:
            worker["capacity"].setdefault(tiers[0], 0)
            worker["used"].setdefault(tiers[0], 0)
    result = parse_capacity(capacity_output(workers, tiers, state_columns, vcpus), warn=pytest.fail)
    assert result["worker_count"] == len(workers)
    assert result["total_vcpus"] == vcpus
    by_name = {w["name"]: w for w in result["workers"]}
    for worker in workers:
        parsed = by_name[worker["name"]]
        assert sorted(parsed["capacity_bytes"]) == sorted(worker["capacity"])
        for alias, size in worker["capacity"].items():
            assert parsed["capacity_bytes"][alias] == parse_size(format_size(size))
            assert parsed["used_bytes"][alias] == parse_size(format_size(worker["used"][alias]))
        assert parsed["last_heartbeat"] == worker["heartbeat"]
        assert parsed["state"] == (worker["state"] if state_columns else None)
    total = sum(sum(w["capacity"].values()) for w in workers)
    assert result["total_bytes"] == parse_size(format_size(total))
    assert result["used_percentage"] == (sum(sum(w["used"].values()) for w in workers) * 100 // total if total else None)


# --- nothing crashes -------------------------------------------------------------------------------

PARSERS = [parse_fs_stat, parse_metrics, parse_capacity]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000).map(lambda b: b.decode("latin-1")), st.text(max_size=2000)))
def test_random_input_never_raises_anything_else(parser, data):
    try:
        result = parser(data, warn=lambda message: None)
    except AlluxioParseError as exc:
        assert exc.command.startswith("alluxio ")
        assert str(exc).startswith("Cannot parse the output of '%s'" % exc.command)
    else:
        assert isinstance(result, dict)


@settings(max_examples=200, deadline=None)
@given(words=st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=" \n\r"), max_size=12), st.integers(0, 10 ** 9), max_size=50))
def test_wordcount_round_trip(words):
    noise = ["20/06/17 08:19:11 INFO SparkContext: Running Spark version 2.4.6", "+ exec /usr/bin/tini -s -- /opt/spark/bin/spark-submit"]
    text = "\n".join(noise + ["%s: %d" % item for item in words.items()] + noise) + "\n"
    if words:
        assert parse_wordcount(text) == words
    else:  # no count at all is an error, never {}
        with pytest.raises(AlluxioParseError):
            parse_wordcount(text)
