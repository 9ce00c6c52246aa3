# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for ``alluxio fsadmin report metrics`` (Alluxio 2.0 to 3.x). Pure: no I/O.

Three layouts exist: ``sectioned`` (2.0-2.1: "Total IO:" sections of padded label/value rows),
``lines`` (2.2-2.9: ``<name>  (Type: <TYPE>, Value: <value>)``) and ``json`` (3.x:
``{"metricsInfo": [{"key", "type", "value"}]}``, possibly re-indented by the Go CLI).

Log lines are skipped and any other unknown line is a warning, before, inside or after the report.
A metric that counts bytes (its name holds ``Bytes``, as Alluxio's own formatter decides, or it is a
row of the 2.0-2.1 IO sections) is a number of bytes whether it is printed as a size or as a plain
number. Failures are kept for what cannot be read: no report at all, broken JSON.
"""

import json
import re

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    check_text,
    is_log_line,
    parse_byte_count,
    parse_number,
    parse_size,
    reports_binary,
    shorten,
    unexpected_line,
)

COMMAND = "alluxio fsadmin report metrics"

_LINE_RE = re.compile(r"^(?P<name>\S.*?)  \(Type: (?P<type>[A-Z_]+), Value: (?P<value>.*)\)$")
_SECTION_RE = re.compile(r"^(?P<section>[A-Z][^:]*(?:\([^)]*\))?):\s*$")
_ROW_RE = re.compile(r"^    (?P<label>\S.*?)\s{2,}(?P<value>\S+)\s*$")
_OTHER_ROW_RE = re.compile(r"^    (?P<label>\S.*?)  \((?P<value>.*)\)$")
_PER_MINUTE = "/MIN"

# Sections of the 2.0-2.1 report; rows under "Total IO" map to the cluster counters they print.
SECTIONS = (
    "Total IO",
    "Total IO Throughput (Last Minute)",
    "Cache Hit Rate (Percentage)",
    "Logical Operations",
    "RPC Invocations",
    "Other Metrics",
)
_THROUGHPUT_SECTION = "Total IO Throughput (Last Minute)"
_BYTE_SECTIONS = ("Total IO", _THROUGHPUT_SECTION)
_OTHER_SECTION = "Other Metrics"

# bytes_read channel -> the metric names that count it, newest first. 2.5 renamed
# BytesReadAlluxio to BytesReadRemote; 2.0-2.1 print labels instead of names.
READ_CHANNELS = (
    ("network", ("Cluster.BytesReadRemote", "Cluster.BytesReadAlluxio", "Total IO / From Remote Instances")),
    ("domain_socket", ("Cluster.BytesReadDomain", "Total IO / Short-circuit Read (Domain Socket)")),
    ("short_circuit_local", ("Cluster.BytesReadLocal", "Total IO / Short-circuit Read")),
    ("ufs", ("Cluster.BytesReadUfsAll", "Total IO / Under Filesystem Read")),
)


@reports_binary(COMMAND)
def parse_metrics(text, warn=None):
    """Parse the metrics report into ``{'format', 'metrics', 'bytes_read'}``.

    ``metrics`` maps each metric to ``{'type', 'value', 'bytes', 'per_minute', 'number'}``; in the
    2.0-2.1 layout, where no names are printed, the key is ``"<section> / <label>"`` and type is None.
    ``bytes_read`` holds the byte counters per read channel, or None when the output lacks one.
    """
    warn = warn or (lambda message: None)
    lines = check_text(COMMAND, text)
    output_format, number = _find_report(lines, warn)
    if output_format == "json":
        metrics = _parse_json(lines, number, warn)
    elif output_format == "sectioned":
        metrics = _parse_sectioned(lines, number, warn)
    else:
        metrics = _parse_lines(lines, number, warn)
    return {"format": output_format, "metrics": metrics, "bytes_read": bytes_read(metrics)}


def _find_report(lines, warn):
    """The layout and the 1-based number of the report's first line; warns about unknown lines before it."""
    unknown = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or is_log_line(line):
            continue
        stripped = line.rstrip()
        if line.lstrip().startswith("{"):
            found = "json"
        elif _SECTION_RE.match(stripped) and stripped.rstrip(":").strip() in SECTIONS:
            found = "sectioned"
        elif _LINE_RE.match(line):
            found = "lines"
        else:
            unknown.append(number)
            continue
        for earlier in unknown:
            warn(unexpected_line(COMMAND, earlier, lines[earlier - 1]))
        return found, number
    if not unknown:
        raise AlluxioParseError(COMMAND, 0, "only log lines, no metrics")
    raise AlluxioParseError(
        COMMAND, unknown[0],
        "expected '<name>  (Type: <TYPE>, Value: <value>)', a 'Total IO:' section or JSON, got %r" % shorten(lines[unknown[0] - 1]),
    )


def bytes_read(metrics):
    """Bytes read per channel from parsed metrics; None (not 0) where no metric reports it."""
    result = {}
    for channel, names in READ_CHANNELS:
        result[channel] = None
        for name in names:
            if name in metrics and metrics[name]["bytes"] is not None:
                result[channel] = metrics[name]["bytes"]
                break
    return result


def metric_value(value, metric_type=None, per_minute=False, counts_bytes=False):
    """Describe one printed value: its text, bytes (sizes), per-minute flag and number.

    ``counts_bytes``: the metric counts bytes, so a plain number is a number of bytes too.
    """
    suffixed = value.endswith(_PER_MINUTE)
    core = value[:-len(_PER_MINUTE)] if suffixed else value
    num_bytes = parse_size(core)
    if num_bytes is None and counts_bytes:
        num_bytes = parse_byte_count(core)
        if num_bytes is None:
            number = parse_number(core)  # a JSON number such as 1024.0, or Java's 1.0E9
            if number is not None and number.is_integer():
                num_bytes = int(number)
    return {
        "type": metric_type,
        "value": value,
        "bytes": num_bytes,
        "per_minute": num_bytes is not None and (suffixed or per_minute),
        "number": parse_number(value) if num_bytes is None else None,
    }


def _named_value(name, value, metric_type=None):
    """metric_value for a metric known by its Alluxio name: Alluxio formats names with 'Bytes' as sizes."""
    return metric_value(value, metric_type, per_minute="Throughput" in name, counts_bytes="Bytes" in name)


def _parse_lines(lines, start, warn):
    metrics = {}
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        match = _LINE_RE.match(line)
        if match:
            _store(metrics, match.group("name"), _named_value(match.group("name"), match.group("value"), match.group("type")), number, warn)
        elif line.strip() and not is_log_line(line):
            warn(unexpected_line(COMMAND, number, line))
    if not metrics:
        raise AlluxioParseError(COMMAND, start, "no metric lines found")
    return metrics


def _parse_sectioned(lines, start, warn):
    metrics = {}
    section = None
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.rstrip()
        if not stripped:
            continue
        header = _SECTION_RE.match(stripped)
        if header and not line.startswith(" "):
            section = header.group("section").strip()
            if section not in SECTIONS:
                warn("%s: line %d: unknown section %r (please report this output format)" % (COMMAND, number, section))
            continue
        if section == _OTHER_SECTION:
            row = _OTHER_ROW_RE.match(stripped)
            if row:
                _store(metrics, row.group("label"), _named_value(row.group("label"), row.group("value")), number, warn)
                continue
        else:
            row = _ROW_RE.match(stripped)
            if row and section is not None:
                name = "%s / %s" % (section, row.group("label"))
                value = metric_value(row.group("value"), per_minute=section == _THROUGHPUT_SECTION, counts_bytes=section in _BYTE_SECTIONS)
                _store(metrics, name, value, number, warn)
                continue
        if not is_log_line(line):
            warn(unexpected_line(COMMAND, number, line))
    if not metrics:
        raise AlluxioParseError(COMMAND, start, "sections without any metric rows (truncated?)")
    return metrics


def _parse_json(lines, start, warn):
    body = "\n".join(lines[start - 1:])
    try:
        document, end = json.JSONDecoder().raw_decode(body)
    except ValueError as exc:
        line = start + getattr(exc, "lineno", 1) - 1
        raise AlluxioParseError(COMMAND, line, "invalid JSON: %s" % getattr(exc, "msg", exc)) from None
    last = start + body.count("\n", 0, end)  # the line the document ends on
    if body[end:].strip():
        trailing = body[end:].split("\n", 1)
        if trailing[0].strip():
            warn(unexpected_line(COMMAND, last, trailing[0]))
        for number in range(last + 1, len(lines) + 1):
            if lines[number - 1].strip() and not is_log_line(lines[number - 1]):
                warn(unexpected_line(COMMAND, number, lines[number - 1]))
    entries = document.get("metricsInfo") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise AlluxioParseError(COMMAND, start, "JSON without a 'metricsInfo' list")
    metrics = {}
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or "value" not in entry:
            warn("%s: ignored metricsInfo[%d] without 'key' and 'value': %s" % (COMMAND, position, shorten(repr(entry))))
            continue
        value = entry["value"]
        metrics[entry["key"]] = _named_value(entry["key"], value if isinstance(value, str) else json.dumps(value), entry.get("type"))
    return metrics


def _store(metrics, name, value, number, warn):
    if name in metrics:
        warn("%s: line %d repeats the metric %r; the later value is kept" % (COMMAND, number, name))
    metrics[name] = value
