# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for ``alluxio fsadmin report capacity`` (Alluxio 2.0 to 2.10/3.0.x). Pure: no I/O.

The summary is indented key/value lines; the worker table has two rows per worker
(``capacity`` and ``used``). Columns are read by whitespace, not by width: widths depend on the
longest worker name, and pasted outputs often collapse the padding. Worker names are hosts and
never contain spaces, so whitespace splitting is exact.

Log lines are skipped and any other unknown line (a development build's chatter) is a warning,
wherever it is. Failures are kept for what cannot be read: no report at all, a summary without
its totals, a size that is no size, a worker row whose cells do not fit the table, a cut table.
"""

import re

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    check_text,
    is_log_line,
    parse_byte_count,
    reports_binary,
    shorten,
    unexpected_line,
)

COMMAND = "alluxio fsadmin report capacity"

_HEADER_RE = re.compile(r"^Capacity information for (?P<range>\w+) workers:\s*$")
_NO_WORKERS = "No workers found."
_TOTAL_RE = re.compile(r"^    (?P<what>Total|Used) Capacity: (?P<size>\S+)$")
_TIER_RE = re.compile(r"^        Tier: (?P<alias>\S+)\s+Size: (?P<size>\S+)$")
_PERCENT_RE = re.compile(r"^    (?P<what>Used|Free) Percentage: (?P<pct>\d+)%$")
_VCPUS_RE = re.compile(r"^    Total vCPUs: (?P<count>\d+)$")  # 2.9.5+ (seen in 2.9.6)
_PCT_TOKEN_RE = re.compile(r"^\((?P<pct>\d+)%\)$")
_SECOND_TABLE = "Not Registered With"  # register-to-all-masters table: not capacity data


@reports_binary(COMMAND)
def parse_capacity(text, warn=None):
    """Parse the capacity report into the ``alluxio_capacity_info`` return contract."""
    warn = warn or (lambda message: None)
    lines = check_text(COMMAND, text)
    result = {
        "range": None,
        "total_vcpus": None,
        "total_bytes": None,
        "used_bytes": None,
        "used_percentage": None,
        "free_percentage": None,
        "tiers": {},
        "workers": [],
        "worker_count": 0,
    }
    number = _find_report(lines, warn)
    first = lines[number].rstrip()
    if first == _NO_WORKERS:
        for later in range(number + 1, len(lines)):
            if lines[later].strip() and not is_log_line(lines[later]):
                warn(unexpected_line(COMMAND, later + 1, lines[later]))
        result.update(total_bytes=0, used_bytes=0)
        return result
    result["range"] = _HEADER_RE.match(first).group("range")
    index = _parse_summary(lines, number + 1, result, warn)
    if result["total_bytes"] is None or result["used_bytes"] is None:
        raise AlluxioParseError(COMMAND, min(index + 1, len(lines)), "the summary lacks 'Total Capacity' or 'Used Capacity' (truncated?)")
    _parse_table(lines, index, result, warn)
    result["worker_count"] = len(result["workers"])
    return result


def _find_report(lines, warn):
    """Index of the report's first line (the header or 'No workers found.'); warns about the unknown lines before it."""
    unknown = []
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped == _NO_WORKERS or _HEADER_RE.match(stripped):
            for number in unknown:
                warn(unexpected_line(COMMAND, number + 1, lines[number]))
            return index
        if stripped and not is_log_line(line):
            unknown.append(index)
    if not unknown:
        raise AlluxioParseError(COMMAND, 0, "only log lines, no report")
    raise AlluxioParseError(
        COMMAND, unknown[0] + 1, "expected 'Capacity information for ... workers:' or %r, got %r" % (_NO_WORKERS, shorten(lines[unknown[0]].rstrip()))
    )


def _size(text, number, what):
    value = parse_byte_count(text)
    if value is None:
        raise AlluxioParseError(COMMAND, number, "%s is not an Alluxio size: %r" % (what, text))
    return value


def _parse_summary(lines, index, result, warn):
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
        vcpus = _VCPUS_RE.match(line)
        if vcpus:
            result["total_vcpus"] = int(vcpus.group("count"))
        elif total:
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
        elif not is_log_line(line):
            warn(unexpected_line(COMMAND, number, line))
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
            warn(unexpected_line(COMMAND, number, line))
            continue
        if tokens[0] == "used":  # the used row leaves the name/state/heartbeat columns blank
            if worker is None:
                warn("%s: ignored line %d: a 'used' row without a 'capacity' row before it" % (COMMAND, number))
                continue
            _read_used_row(tokens[1:], columns, worker, number)
            worker = None
            continue
        if "capacity" in tokens[2:4]:
            # a worker row: name, [state,] heartbeat, "capacity", sizes; it must read, or a worker goes missing
            if worker is not None:
                raise AlluxioParseError(COMMAND, number, "worker %r has no 'used' row" % worker["name"])
            worker = _read_capacity_row(tokens, columns, number)
            result["workers"].append(worker)
            continue
        warn(unexpected_line(COMMAND, number, line))
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
    # Version and Revision close the row when printed (a revision may be all digits: count, don't guess)
    if columns["version"] and len(values) == len(columns["tiers"]) + (1 if columns["total"] else 0) + 2:
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
