# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for ``alluxio fsadmin report capacity`` (Alluxio 2.0 to 2.10/3.0.x). Pure: no I/O.

The summary is indented key/value lines; the worker table has two rows per worker
(``capacity`` and ``used``). Columns are read by whitespace, not by width: widths depend on the
longest worker name, and pasted outputs often collapse the padding. Worker names are hosts and
never contain spaces, so whitespace splitting is exact.
"""

import re

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    check_text,
    is_log_line,
    parse_size,
    reports_binary,
    shorten,
)

COMMAND = "alluxio fsadmin report capacity"

_HEADER_RE = re.compile(r"^Capacity information for (?P<range>\w+) workers:\s*$")
_NO_WORKERS = "No workers found."
_TOTAL_RE = re.compile(r"^    (?P<what>Total|Used) Capacity: (?P<size>\S+)$")
_TIER_RE = re.compile(r"^        Tier: (?P<alias>\S+)\s+Size: (?P<size>\S+)$")
_PERCENT_RE = re.compile(r"^    (?P<what>Used|Free) Percentage: (?P<pct>\d+)%$")
_PCT_TOKEN_RE = re.compile(r"^\((?P<pct>\d+)%\)$")
_SECOND_TABLE = "Not Registered With"  # register-to-all-masters table: not capacity data


@reports_binary(COMMAND)
def parse_capacity(text, warn=None):
    """Parse the capacity report into the ``alluxio_capacity_info`` return contract."""
    warn = warn or (lambda message: None)
    lines = check_text(COMMAND, text)
    result = {
        "range": None,
        "total_bytes": None,
        "used_bytes": None,
        "used_percentage": None,
        "free_percentage": None,
        "tiers": {},
        "workers": [],
        "worker_count": 0,
    }
    number = _skip_logs(lines, 0)
    if number is None:
        raise AlluxioParseError(COMMAND, 0, "only log lines, no report")
    first = lines[number].rstrip()
    if first == _NO_WORKERS:
        result.update(total_bytes=0, used_bytes=0)
        return result
    header = _HEADER_RE.match(first)
    if not header:
        raise AlluxioParseError(
            COMMAND, number + 1, "expected 'Capacity information for ... workers:' or %r, got %r" % (_NO_WORKERS, shorten(first))
        )
    result["range"] = header.group("range")
    index = _parse_summary(lines, number + 1, result)
    if result["total_bytes"] is None or result["used_bytes"] is None:
        raise AlluxioParseError(COMMAND, min(index + 1, len(lines)), "the summary lacks 'Total Capacity' or 'Used Capacity' (truncated?)")
    _parse_table(lines, index, result, warn)
    result["worker_count"] = len(result["workers"])
    return result


def _skip_logs(lines, index):
    while index < len(lines):
        if lines[index].strip() and not is_log_line(lines[index]):
            return index
        index += 1
    return None


def _size(text, number, what):
    value = parse_size(text)
    if value is None:
        raise AlluxioParseError(COMMAND, number, "%s is not an Alluxio size: %r" % (what, text))
    return value


def _parse_summary(lines, index, result):
    """Read the summary up to the blank line before the table; return the table's index."""
    current = None
    while index < len(lines):
        line = lines[index].rstrip()
        number = index + 1
        if not line:
            return index + 1
        total = _TOTAL_RE.match(line)
        tier = _TIER_RE.match(line)
        percent = _PERCENT_RE.match(line)
        if total:
            current = total.group("what").lower()
            result[current + "_bytes"] = _size(total.group("size"), number, total.group("what") + " Capacity")
        elif tier and current:
            alias = tier.group("alias")
            sizes = result["tiers"].setdefault(alias, {"total_bytes": None, "used_bytes": None})
            sizes[current + "_bytes"] = _size(tier.group("size"), number, "Tier %s size" % alias)
        elif percent:
            result[percent.group("what").lower() + "_percentage"] = int(percent.group("pct"))
        elif line.startswith("Worker Name"):
            return index  # a table right after the summary, without the blank line
        else:
            raise AlluxioParseError(COMMAND, number, "unexpected line in the capacity summary: %r" % shorten(line))
        index += 1
    return index


def _parse_table(lines, index, result, warn):
    columns = None
    worker = None
    while index < len(lines):
        line = lines[index]
        number = index + 1
        tokens = line.split()
        index += 1
        if not tokens or is_log_line(line):
            continue
        if line.startswith("Worker Name"):
            if _SECOND_TABLE in line:
                return  # the per-master registration table follows; it carries no capacity
            columns = _table_columns(tokens)
            continue
        if columns is None:
            raise AlluxioParseError(COMMAND, number, "expected the 'Worker Name ...' table header, got %r" % shorten(line))
        if tokens[0] == "used":  # the used row leaves the name/state/heartbeat columns blank
            if worker is None:
                raise AlluxioParseError(COMMAND, number, "a 'used' row before any 'capacity' row")
            _read_used_row(tokens[1:], columns, worker, number)
            worker = None
            continue
        if "capacity" in tokens:
            worker = _read_capacity_row(tokens, columns, number)
            result["workers"].append(worker)
            continue
        warn("%s: ignored unexpected line %d: %r (please report this output format)" % (COMMAND, number, shorten(line)))
    if worker is not None:
        raise AlluxioParseError(COMMAND, len(lines), "worker %r has no 'used' row (truncated?)" % worker["name"])
    if columns is None:
        raise AlluxioParseError(COMMAND, len(lines), "no worker table after the summary (truncated?)")


def _table_columns(tokens):
    """Describe the header: optional State, optional Total, tier aliases, optional Version/Revision."""
    names = tokens[2:]  # after "Worker Name"
    has_state = names[:1] == ["State"]
    if has_state:
        names = names[1:]
    names = names[3:]  # "Last Heartbeat Storage"
    has_total = names[:1] == ["Total"]
    if has_total:
        names = names[1:]
    has_version = names[-2:] == ["Version", "Revision"]
    tiers = names[:-2] if has_version else names
    return {"state": has_state, "total": has_total, "tiers": tiers, "version": has_version}


def _read_capacity_row(tokens, columns, number):
    position = tokens.index("capacity")
    before = tokens[:position]
    expected_before = 3 if columns["state"] else 2
    if len(before) != expected_before:
        raise AlluxioParseError(
            COMMAND, number, "expected %d columns before 'capacity', got %r" % (expected_before, " ".join(before))
        )
    heartbeat = before[-1]
    if not heartbeat.lstrip("-").isdigit():
        raise AlluxioParseError(COMMAND, number, "Last Heartbeat is not a number: %r" % heartbeat)
    values = tokens[position + 1:]
    version = revision = None
    if columns["version"] and len(values) >= 2 and parse_size(values[-1]) is None:
        version, revision = values[-2], values[-1]
        values = values[:-2]
    if columns["total"]:
        values = values[1:]  # the worker's total is the sum of its tiers
    capacity = _tier_values(values, columns["tiers"], number, "capacity")
    return {
        "name": before[0],
        "state": before[1] if columns["state"] else None,
        "last_heartbeat": int(heartbeat),
        "version": version,
        "revision": revision,
        "capacity_bytes": capacity,
        "used_bytes": {},
        "used_percentage": None,
    }


def _read_used_row(values, columns, worker, number):
    # "<size> (<pct>%)" in the first value column; left out when the worker's capacity is 0
    percentage = _PCT_TOKEN_RE.match(values[1]) if len(values) > 1 else None
    if percentage and (columns["total"] or len(columns["tiers"]) == 1):
        worker["used_percentage"] = int(percentage.group("pct"))
        values = values[:1] + values[2:]
    if columns["total"]:
        values = values[1:]
    worker["used_bytes"] = _tier_values(values, columns["tiers"], number, "used")


def _tier_values(values, tiers, number, row):
    if len(values) != len(tiers):
        raise AlluxioParseError(
            COMMAND, number, "the %s row has %d tier value(s) for %d tier column(s) %s" % (row, len(values), len(tiers), tiers)
        )
    sizes = {}
    for alias, text in zip(tiers, values):
        if text != "-":  # the worker has no such tier
            sizes[alias] = _size(text, number, "%s of tier %s" % (row, alias))
    return sizes
