# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unknown lines are warnings and the rest parses; plain numbers that count bytes are bytes.

A development build's client prints debug and log lines around and inside the report (level
first, thread in brackets, or plain chatter). Only what truly cannot be read fails.
"""

import json

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils import _alluxio_values
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.module_utils.test_bad_input import CAPACITY, STAT, read

MULTITIER = "report-capacity_2.0-2.9_unittest-multitier.txt"
SECTIONED = "report-metrics_2.0-2.1_unittest.txt"
LINES = "report-metrics_2.5-2.9_unittest.txt"

DEBUG = "DEBUG [main] RetryUtils - Connecting to alluxio-master-0:19998, attempt 1"
CHATTER = "Using configuration from /opt/alluxio/conf (dev build 2.10.0-SNAPSHOT)"
ABOUT_CAPACITY = "computing capacity for 3 workers"


def insert(text, after_line, *new_lines):
    lines = text.split("\n")
    lines[after_line:after_line] = list(new_lines)
    return "\n".join(lines)


def parse(parser, text):
    warnings = []
    return parser(text, warn=warnings.append), warnings


# --- capacity ------------------------------------------------------------------------------------

def test_capacity_noise_before_the_report():
    result, warnings = parse(parse_capacity, insert(read(CAPACITY), 0, DEBUG, CHATTER))
    assert result == parse_capacity(read(CAPACITY))
    assert warnings == ["alluxio fsadmin report capacity: ignored unexpected line 2: %r (please report this output format)" % CHATTER]


def test_capacity_noise_inside_the_summary():
    text = insert(read(CAPACITY), 3, "2026-11-23 10:00:00,001 DEBUG CapacityCommand - sum of tiers", CHATTER)
    result, warnings = parse(parse_capacity, text)
    assert result == parse_capacity(read(CAPACITY))
    assert warnings == ["alluxio fsadmin report capacity: ignored unexpected line 5: %r (please report this output format)" % CHATTER]


def test_capacity_noise_between_summary_and_table_and_inside_it():
    text = insert(read(CAPACITY), 8, CHATTER)  # before "Worker Name"
    text = insert(text, 12, ABOUT_CAPACITY, DEBUG)  # between two workers
    result, warnings = parse(parse_capacity, text)
    assert result == parse_capacity(read(CAPACITY))
    assert [w.split(": ", 2)[1] for w in warnings] == ["ignored unexpected line 9", "ignored unexpected line 13"]


def test_capacity_stray_used_row_warns():
    text = insert(read(CAPACITY), 9, "                                  used          0B (0%)")
    result, warnings = parse(parse_capacity, text)
    assert result["worker_count"] == 3
    assert warnings == ["alluxio fsadmin report capacity: ignored line 10: a 'used' row without a 'capacity' row before it"]


def test_capacity_without_any_report_still_fails():
    error = pytest.raises(AlluxioParseError, parse_capacity, DEBUG + "\n" + CHATTER + "\n").value
    assert (error.line, error.reason) == (2, "expected 'Capacity information for ... workers:' or 'No workers found.', got %r" % CHATTER)


def test_capacity_a_worker_row_that_cannot_be_read_still_fails():
    text = read(CAPACITY).replace("192.168.8.16    0                capacity      1024.00MB", "192.168.8.16    0                capacity      1024.00MB  9")
    assert pytest.raises(AlluxioParseError, parse_capacity, text).value.line == 12


def test_capacity_sizes_printed_as_plain_numbers_are_bytes():
    text = (read(CAPACITY).replace("Total Capacity: 3072.00MB", "Total Capacity: 3221225472")
            .replace("capacity      1024.00MB", "capacity      1073741824").replace("used          0B", "used          0"))
    result = parse_capacity(text)
    assert result["total_bytes"] == 3221225472
    assert [(w["capacity_bytes"], w["used_bytes"]) for w in result["workers"]] == [({"MEM": 1073741824}, {"MEM": 0})] * 3


def test_capacity_multitier_with_noise():
    text = insert(read(MULTITIER), 16, DEBUG, CHATTER)
    result, warnings = parse(parse_capacity, text)
    assert result == parse_capacity(read(MULTITIER))
    assert len(warnings) == 1


# --- metrics -------------------------------------------------------------------------------------

def test_metrics_noise_before_the_lines():
    result, warnings = parse(parse_metrics, insert(read(LINES), 0, DEBUG, CHATTER))
    assert result == parse_metrics(read(LINES))
    assert warnings == ["alluxio fsadmin report metrics: ignored unexpected line 2: %r (please report this output format)" % CHATTER]


def test_metrics_sectioned_noise_row_warns():
    text = insert(read(SECTIONED), 3, CHATTER, "Files Freed 2,141")
    result, warnings = parse(parse_metrics, text)
    assert result == parse_metrics(read(SECTIONED))
    assert [w.split(": ", 2)[1] for w in warnings] == ["ignored unexpected line 4", "ignored unexpected line 5"]


def test_metrics_json_with_noise_around_it():
    document = {"metricsInfo": [{"key": "Cluster.BytesReadRemote", "type": "COUNTER", "value": "1.00KB"}]}
    text = CHATTER + "\n" + json.dumps(document, indent=4) + "\n" + DEBUG + "\ndone.\n"
    result, warnings = parse(parse_metrics, text)
    assert result["bytes_read"]["network"] == 1024
    assert [w.split(": ", 2)[1] for w in warnings] == ["ignored unexpected line 1", "ignored unexpected line 12"]


def test_metrics_json_entry_without_key_warns():
    document = {"metricsInfo": [{"type": "COUNTER"}, {"key": "Cluster.BytesReadDomain", "value": "2B"}]}
    result, warnings = parse(parse_metrics, json.dumps(document))
    assert result["bytes_read"]["domain_socket"] == 2
    assert warnings == ["alluxio fsadmin report metrics: ignored metricsInfo[0] without 'key' and 'value': {'type': 'COUNTER'}"]


def test_metrics_without_any_report_still_fails():
    error = pytest.raises(AlluxioParseError, parse_metrics, DEBUG + "\n" + CHATTER + "\n").value
    assert error.line == 2
    assert error.reason.startswith("expected '<name>  (Type: <TYPE>, Value: <value>)', a 'Total IO:' section or JSON, got ")


@pytest.mark.parametrize("value,expected", [
    ("297441", 297441),
    ("297,441", 297441),
    ("290.47KB", 297441),
    ("12", 12),
])
def test_metrics_byte_counter_printed_as_a_plain_number(value, expected):
    result = parse_metrics("Cluster.BytesReadRemote  (Type: COUNTER, Value: %s)\nCluster.CapacityTotal  (Type: GAUGE, Value: 1,024)\n" % value)
    assert result["metrics"]["Cluster.BytesReadRemote"]["bytes"] == expected
    assert result["bytes_read"]["network"] == expected
    assert result["metrics"]["Cluster.CapacityTotal"]["bytes"] is None  # no "Bytes" in its name: a number, not a size
    assert result["metrics"]["Cluster.CapacityTotal"]["number"] == 1024


def test_metrics_json_numeric_byte_counters():
    document = {"metricsInfo": [
        {"key": "Cluster.BytesReadDomain", "type": "COUNTER", "value": 243364},
        {"key": "Cluster.BytesReadRemoteThroughput", "type": "GAUGE", "value": 1024.0},
        {"key": "Cluster.CacheHitRate", "type": "GAUGE", "value": 0.5},
    ]}
    result = parse_metrics(json.dumps(document))
    metrics = result["metrics"]
    assert result["bytes_read"]["domain_socket"] == 243364
    assert (metrics["Cluster.BytesReadRemoteThroughput"]["bytes"], metrics["Cluster.BytesReadRemoteThroughput"]["per_minute"]) == (1024, True)
    assert (metrics["Cluster.CacheHitRate"]["bytes"], metrics["Cluster.CacheHitRate"]["number"]) == (None, 0.5)


def test_metrics_sectioned_rows_are_bytes_even_as_plain_numbers():
    text = read(SECTIONED).replace("From Remote Instances                                401.79MB",
                                   "From Remote Instances                               421306450")
    assert parse_metrics(text)["bytes_read"]["network"] == 421306450


def test_byte_counts():
    assert [_alluxio_values.parse_byte_count(t) for t in ("0", "17", "1,024", "1.5", "-3", "2B", "1.00KB", "x", "1,02")] == [
        0, 17, 1024, None, -3, 2, 1024, None, None]


# --- fs stat -------------------------------------------------------------------------------------

def test_stat_noise_before_the_header():
    result, warnings = parse(parse_fs_stat, insert(read(STAT), 0, DEBUG, CHATTER))
    assert result == parse_fs_stat(read(STAT))
    assert warnings == ["alluxio fs stat: ignored unexpected line 2: %r (please report this output format)" % CHATTER]


def test_stat_noise_among_the_block_lines():
    text = insert(read(STAT), 3, DEBUG, CHATTER)  # after "Containing the following blocks:"
    result, warnings = parse(parse_fs_stat, text)
    assert result == parse_fs_stat(read(STAT))
    assert warnings == ["alluxio fs stat: ignored unexpected line 5: %r (please report this output format)" % CHATTER]


def test_stat_without_any_entry_still_fails_at_the_first_unknown_line():
    error = pytest.raises(AlluxioParseError, parse_fs_stat, DEBUG + "\n" + CHATTER + "\n").value
    assert error.line == 2
    assert error.reason == "expected '<path> is a file path.' or '<path> is a directory path.', got %r" % CHATTER
