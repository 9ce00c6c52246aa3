# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input fails with the command and the offending line; odd extra lines only warn."""

import os

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError, format_size, parse_size
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_wordcount import parse_wordcount

SAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "samples")
STAT = "fs-stat_2.2.1-enterprise_seed-doc_license-single-block.txt"
METRICS = "report-metrics_2.5-2.9_unittest.txt"
CAPACITY = "report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt"


def read(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def failure(parser, text):
    with pytest.raises(AlluxioParseError) as caught:
        parser(text, warn=lambda message: None)
    return caught.value


@pytest.mark.parametrize("parser,command", [
    (parse_fs_stat, "alluxio fs stat"),
    (parse_metrics, "alluxio fsadmin report metrics"),
    (parse_capacity, "alluxio fsadmin report capacity"),
])
def test_empty_output(parser, command):
    error = failure(parser, "  \n\n")
    assert (error.command, error.line) == (command, 0)
    assert str(error) == "Cannot parse the output of '%s' at the output: the output is empty" % command


@pytest.mark.parametrize("parser", [parse_fs_stat, parse_metrics, parse_capacity])
def test_binary_junk_is_named_as_such(parser):
    error = failure(parser, "\x1f\x8b\x08\x00 gzip, not text\nmore\n")
    assert error.line == 1
    assert "binary or control character '\\x1f'" in str(error)


def test_binary_junk_inside_good_output_names_its_line():
    lines = read(STAT).splitlines()
    lines[1] = lines[1].replace("blockSizeBytes=67108864", "blockSizeBytes=\x00\x01PK")
    error = failure(parse_fs_stat, "\n".join(lines))
    assert (error.line, "binary or control character '\\x00'") == (2, str(error).split(": ", 1)[1].split(" in ")[0])


def test_a_parse_error_before_the_junk_keeps_its_own_message():
    error = failure(parse_capacity, "fine line\nsecond\n\x00\x9c junk\n")
    assert error.line == 1
    assert "expected 'Capacity information for ... workers:'" in str(error)


def test_not_text_at_all():
    error = failure(parse_metrics, b"Cluster.X  (Type: GAUGE, Value: 1)")
    assert "expected text, got bytes" in str(error)


def test_wrong_commands_output():
    # capacity output given to the stat parser, metrics to capacity, stat to metrics
    error = failure(parse_fs_stat, read(CAPACITY))
    assert (error.command, error.line) == ("alluxio fs stat", 1)
    assert "expected '<path> is a file path.'" in str(error)
    error = failure(parse_capacity, read(METRICS))
    assert (error.command, error.line) == ("alluxio fsadmin report capacity", 1)
    error = failure(parse_metrics, read(STAT))
    assert (error.command, error.line) == ("alluxio fsadmin report metrics", 1)
    assert "expected '<name>  (Type: <TYPE>, Value: <value>)'" in str(error)


def test_stat_truncated_status_line():
    lines = read(STAT).splitlines()
    lines[1] = lines[1][:700]
    error = failure(parse_fs_stat, "\n".join(lines))
    assert error.line == 2
    assert "unknown field layout" in str(error) or "truncated" in str(error)


def test_stat_truncated_before_block_lines():
    lines = read(STAT).splitlines()
    error = failure(parse_fs_stat, "\n".join(lines[:2]))
    assert error.line == 3
    assert "expected 'Containing the following blocks:'" in str(error)


def test_stat_missing_block_line():
    lines = read(STAT).splitlines()
    error = failure(parse_fs_stat, "\n".join(lines[:3]))
    assert "blockIds lists 1 block(s) but 0 BlockInfo line(s) follow (truncated?)" in str(error)


def test_stat_header_without_status():
    error = failure(parse_fs_stat, "/LICENSE is a file path.\n")
    assert error.line == 1
    assert "the status line is missing" in str(error)


def test_stat_header_disagrees_with_status():
    text = read(STAT).replace("/LICENSE is a file path.", "/LICENSE is a directory path.")
    error = failure(parse_fs_stat, text)
    assert (error.line, "the header says directory but the status has folder=false") == (2, str(error).split(": ", 1)[1])


def test_stat_missing_path_is_an_answer():
    result = parse_fs_stat('2026-11-23 10:00:00,001 WARN  Foo - bar\nPath "/nope, really" does not exist.\n')
    assert result == {"exists": False, "path": "/nope, really", "file": None, "more_files": [], "worker_hosts": []}


def test_stat_unknown_trailing_line_warns_and_parses():
    warnings = []
    result = parse_fs_stat(read(STAT) + "something new in 4.0\n", warn=warnings.append)
    assert result["worker_hosts"] == ["192.168.8.17"]
    assert warnings == ["alluxio fs stat: ignored unexpected line 5: 'something new in 4.0' (please report this output format)"]


def test_stat_client_log_lines_before_output():
    logs = "2026-11-23 10:00:00,123 INFO  NettyUtils - EPOLL_MODE is available\nSLF4J: Class path contains multiple SLF4J bindings.\n"
    warnings = []
    result = parse_fs_stat(logs + read(STAT), warn=warnings.append)
    assert (result["path"], warnings) == ("/LICENSE", [])


def test_stat_uristatus_with_cache_context():
    lines = read(STAT).splitlines()
    lines[1] = "URIStatus{info=%s, cacheContext=CacheContext{cacheIdentifier=abc, cacheQuota=null, cacheScope=null, hiveCacheContext=null}}" % lines[1]
    info = parse_fs_stat("\n".join(lines))["file"]
    assert (info["default_acl"], info["acl"], info["length"]) == ("", "user::rw-,group::r--,other::r--", 27040)


def test_metrics_sectioned_garbage_row_warns():
    text = read("report-metrics_2.0-2.1_unittest.txt").replace("    Files Freed                                             2,141", "Files Freed 2,141")
    warnings = []
    result = parse_metrics(text, warn=warnings.append)
    assert warnings == ["alluxio fsadmin report metrics: ignored unexpected line 30: 'Files Freed 2,141' (please report this output format)"]
    assert "Logical Operations / Files Freed" not in result["metrics"]
    assert result["bytes_read"]["network"] == parse_metrics(read("report-metrics_2.0-2.1_unittest.txt"))["bytes_read"]["network"]


def test_metrics_json_errors():
    error = failure(parse_metrics, '{\n    "metricsInfo": [\n        {"key": "Cluster.A", "value": "1B"},\n        {"key": \n')
    assert error.line == 4  # the entry that the output breaks off in
    assert "invalid JSON" in str(error)
    error = failure(parse_metrics, '{"other": []}')
    assert "JSON without a 'metricsInfo' list" in str(error)


def test_metrics_repeated_name_warns():
    warnings = []
    result = parse_metrics("Cluster.BytesReadDomain  (Type: COUNTER, Value: 1B)\nCluster.BytesReadDomain  (Type: COUNTER, Value: 2B)\n", warn=warnings.append)
    assert result["bytes_read"]["domain_socket"] == 2
    assert warnings == ["alluxio fsadmin report metrics: line 2 repeats the metric 'Cluster.BytesReadDomain'; the later value is kept"]


def test_capacity_truncated_table():
    lines = read(CAPACITY).splitlines()
    error = failure(parse_capacity, "\n".join(lines[:-1]))
    assert "worker '192.168.8.17' has no 'used' row (truncated?)" in str(error)
    error = failure(parse_capacity, "\n".join(lines[:5]))
    assert "no worker table after the summary (truncated?)" in str(error)


def test_capacity_bad_size_and_columns():
    text = read(CAPACITY).replace("192.168.8.16    0                capacity      1024.00MB", "192.168.8.16    0                capacity      1024.00XB")
    error = failure(parse_capacity, text)
    assert (error.line, "capacity of tier MEM is not an Alluxio size: '1024.00XB'") == (12, str(error).split(": ", 1)[1])
    text = read(CAPACITY).replace("192.168.8.16    0 ", "192.168.8.16    ACTIVE    0 ")
    assert failure(parse_capacity, text).line == 12


def test_capacity_no_workers():
    assert parse_capacity("No workers found.\n") == {
        "range": None, "total_vcpus": None, "total_bytes": 0, "used_bytes": 0, "used_percentage": None,
        "free_percentage": None,
        "tiers": {}, "workers": [], "worker_count": 0}


def test_capacity_zero_total_has_no_percentages():
    text = ("Capacity information for live workers: \n    Total Capacity: 0B\n        Tier: MEM  Size: 0B\n"
            "    Used Capacity: 0B\n        Tier: MEM  Size: 0B\n\n"
            "Worker Name      Last Heartbeat   Storage       MEM\n10.200.0.11      3                capacity      0B\n"
            "                                  used          0B\n")
    result = parse_capacity(text)
    assert (result["range"], result["total_bytes"], result["used_percentage"]) == ("live", 0, None)
    assert result["workers"][0]["used_percentage"] is None
    assert result["workers"][0]["capacity_bytes"] == {"MEM": 0}


def test_sizes():
    assert [parse_size(t) for t in ("0B", "-1B", "5120B", "290.47KB", "1024.00MB", "5109.22GB", "1.00EB", "3.5", "12 MB")] == [
        0, -1, 5120, 297441, 1073741824, 5485983202017, 1152921504606846976, None, None]
    assert [format_size(n) for n in (0, 5120, 5121, 1073741824, 3 * 1024 ** 3, 2 ** 62)] == [
        "0B", "5120B", "5.00KB", "1024.00MB", "3072.00MB", "4096.00PB"]


def test_wordcount_ignores_driver_noise():
    log = "\n".join([
        "++ id -u",
        "+ exec /usr/bin/tini -s -- /opt/spark/bin/spark-submit --conf spark.driver.bindAddress=10.244.2.5",
        "20/06/17 08:19:11 INFO SparkContext: Running Spark version 2.4.6",
        "Apache: 3",
        "the: 12",
        "(c): 1",
        ": 40",
        "20/06/17 08:19:20 INFO DAGScheduler: Job 0 finished: collect at JavaWordCount.java:53, took 1.5 s",
        "License,: 2",
    ])
    assert parse_wordcount(log) == {"Apache": 3, "the": 12, "(c)": 1, "": 40, "License,": 2}


def test_stat_status_line_cut_inside_the_blocks():
    lines = read(STAT).splitlines()
    lines[1] = lines[1][:lines[1].index("tierAlias=MEM")]
    error = failure(parse_fs_stat, "\n".join(lines))
    assert error.line == 2
    assert "block 1 of fileBlockInfos is not FileBlockInfo{blockInfo=BlockInfo{...}, offset=..., ufsLocations=[...]} (truncated?)" in str(error)


@pytest.mark.parametrize("log,reason", [
    ("", "the output is empty"),
    (" \n\n", "the output is empty"),
    ("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xed\xbd\x07\x60\n", "binary or control character '\\x1f' in "),
    ("++ id -u\n20/06/17 08:19:11 INFO SparkContext: Running Spark version 2.4.6\n"
     'Exception in thread "main" java.io.FileNotFoundException: alluxio://alluxio-master-0.alluxio:19998/LICENSE\n'
     "20/06/17 08:19:12 INFO ShutdownHookManager: Shutdown hook called\n",
     "no '<word>: <count>' line in 4 line(s): the job printed no counts (did the driver fail?); first error: "
     "'Exception in thread \"main\" java.io.FileNotFoundException: alluxio://alluxio-master-0.alluxio:19998/LICENSE'"),
    (read(CAPACITY), "no '<word>: <count>' line in 15 line(s): the job printed no counts (did the driver fail?)"),
])
def test_wordcount_without_counts_fails(log, reason):
    error = failure(parse_wordcount, log)
    assert error.command == "spark word count (driver log)"
    assert error.reason.startswith(reason), error.reason
