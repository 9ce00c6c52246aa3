# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test model of the Alluxio CLI printers: turns structures into the exact text Alluxio prints.

Written from the printing rules in the project's research notes (StatCommand, FileInfo/
BlockInfo/WorkerNetAddress toString, MetricsCommand, CapacityCommand), so that the parsers can
be checked by round trips over generated data, as well as over the real samples.
"""

import json

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import format_size

# Printer layouts by Alluxio version (FORMATS.md section 1.1).
STAT_LAYOUTS = {
    "2.0": dict(file_identifier=False, last_access=False, container_host=False, cache_quota=False, uri_status=False, tail=()),
    "2.1": dict(file_identifier=False, last_access=True, container_host=False, cache_quota=False, uri_status=False, tail=()),
    "2.2": dict(file_identifier=True, last_access=True, container_host=False, cache_quota=False, uri_status=False, tail=()),
    "2.3": dict(file_identifier=True, last_access=True, container_host=True, cache_quota=False, uri_status=False, tail=()),
    "2.5": dict(file_identifier=True, last_access=True, container_host=True, cache_quota=True, uri_status=False, tail=()),
    "2.9": dict(file_identifier=False, last_access=True, container_host=True, cache_quota=False, uri_status=True, tail=()),
    "2.10": dict(file_identifier=False, last_access=True, container_host=True, cache_quota=False, uri_status=True,
                 tail=(("xattr", "[null]"),)),
    "3.x": dict(file_identifier=False, last_access=True, container_host=True, cache_quota=False, uri_status=True,
                tail=(("ufsName", "null"), ("contentHash", ""), ("xattr", "[null]")), dora=True),
}


def _bool(value):
    return "true" if value else "false"


def _guava(name, pairs):
    return "%s{%s}" % (name, ", ".join("%s=%s" % pair for pair in pairs))


def worker_address(location, layout):
    pairs = [("host", location["host"])]
    if layout["container_host"]:
        pairs.append(("containerHost", location["container_host"]))
    pairs += [
        ("rpcPort", location["rpc_port"]),
        ("dataPort", location["data_port"]),
        ("webPort", location["web_port"]),
        ("domainSocketPath", location["domain_socket_path"]),
    ]
    if layout.get("dora"):
        pairs += [("secureRpcPort", 0), ("httpServerPort", 0)]
    else:
        rack = location["rack"] if location["rack"] is not None else "null"
        pairs.append(("tieredIdentity", "TieredIdentity(node=%s, rack=%s)" % (location["node"], rack)))
    return _guava("WorkerNetAddress", pairs)


def block_info(block, layout):
    locations = ", ".join(
        _guava("BlockLocation", [
            ("workerId", loc["worker_id"]),
            ("address", worker_address(loc, layout)),
            ("tierAlias", loc["tier_alias"]),
            ("mediumType", loc["medium_type"]),
        ])
        for loc in block["locations"]
    )
    return "BlockInfo{id=%d, length=%d, locations=[%s]}" % (block["id"], block["length"], locations)


def file_info(entry, layout):
    blocks = ", ".join(
        "FileBlockInfo{blockInfo=%s, offset=%d, ufsLocations=[%s]}"
        % (block_info(block, layout), block["offset"], ", ".join(block["ufs_locations"]))
        for block in entry["blocks"]
    )
    pairs = [("fileId", entry["file_id"])]
    if layout["file_identifier"]:
        pairs.append(("fileIdentifier", "null"))
    pairs += [
        ("name", entry["name"]),
        ("path", entry["path"]),
        ("ufsPath", entry["ufs_path"]),
        ("length", entry["length"]),
        ("blockSizeBytes", entry["block_size_bytes"]),
        ("creationTimeMs", entry["creation_time_ms"]),
        ("completed", _bool(entry["completed"])),
        ("folder", _bool(entry["folder"])),
        ("pinned", _bool(entry["pinned"])),
        ("pinnedlocation", "[]"),
        ("cacheable", "true"),
        ("persisted", _bool(entry["persisted"])),
        ("blockIds", "[%s]" % ", ".join(str(b["id"]) for b in entry["blocks"])),
        ("inMemoryPercentage", entry["in_memory_percentage"]),
        ("lastModificationTimesMs", entry["last_modification_time_ms"]),
        ("ttl", entry["ttl"]),
    ]
    if layout["last_access"]:
        pairs.append(("lastAccessTimesMs", entry["last_modification_time_ms"]))
    pairs += [
        ("ttlAction", entry["ttl_action"]),
        ("owner", entry["owner"]),
        ("group", entry["group"]),
        ("mode", entry["mode"]),
        ("persistenceState", entry["persistence_state"]),
        ("mountPoint", "false"),
        ("replicationMax", -1),
        ("replicationMin", 0),
        ("fileBlockInfos", "[%s]" % blocks),
        ("mountId", entry["mount_id"]),
        ("inAlluxioPercentage", entry["in_alluxio_percentage"]),
        ("ufsFingerprint", entry["ufs_fingerprint"]),
        ("acl", entry["acl"]),
        ("defaultAcl", entry["default_acl"]),
    ]
    if layout["cache_quota"]:
        pairs += [("cacheQuota", "CacheQuota{quota=-1}"), ("cacheScope", "CacheScope{id=.}")]
    pairs += list(layout["tail"])
    info = _guava("FileInfo", pairs)
    if layout["uri_status"]:
        return "URIStatus{info=%s, cacheContext=null}" % info
    return info


def fs_stat_output(entry, layout_name, log_lines=()):
    """The full stdout of `alluxio fs stat <path>` for one file or directory."""
    layout = STAT_LAYOUTS[layout_name]
    lines = list(log_lines)
    lines.append("%s is a %s path." % (entry["path"], "directory" if entry["folder"] else "file"))
    lines.append(file_info(entry, layout))
    if not entry["folder"]:
        if entry["blocks"]:
            lines.append("Containing the following blocks: ")
            lines.extend(block_info(block, layout) for block in entry["blocks"])
        else:
            lines.append("This file does not contain any blocks.")
    return "\n".join(lines) + "\n"


# --- fsadmin report metrics ------------------------------------------------------------------

def metrics_lines_output(metrics):
    """2.2-2.9: '<name>  (Type: <TYPE>, Value: <value>)', sorted by name."""
    return "".join("%s  (Type: %s, Value: %s)\n" % (name, metrics[name][0], metrics[name][1]) for name in sorted(metrics))


def metrics_json_output(metrics, indent=4):
    """3.x: {"metricsInfo": [...]}, re-indented by the Go launcher."""
    document = {"metricsInfo": [{"key": n, "type": metrics[n][0], "value": metrics[n][1]} for n in sorted(metrics)]}
    return json.dumps(document, indent=indent) + "\n"


def metrics_sectioned_output(sections):
    """2.0-2.1: sections of '    %-40s %20s' rows; every header after the first follows a blank line."""
    out = []
    for position, (section, rows) in enumerate(sections):
        if position:
            out.append("")
        out.append("%s: " % section)
        for label, value in rows:
            if section == "Other Metrics":
                out.append("    %s  (%s)" % (label, value))
            else:
                out.append("    " + "%-40s %20s" % (label, value))
    return "\n".join(out) + "\n"


# --- fsadmin report capacity -----------------------------------------------------------------

TIER_ORDER = ("MEM", "SSD", "HDD")


def capacity_output(workers, tiers, state_columns=False, vcpus=None):
    """CapacityCommand's report for `workers` ({name, heartbeat, capacity{alias:int}, used{...}, state}).

    state_columns: the State/Version/Revision columns (2.9.5+ and 2.10); vcpus: the "Total vCPUs" line
    of 2.9.5+, when given."""
    total = sum(sum(w["capacity"].values()) for w in workers)
    used = sum(sum(w["used"].values()) for w in workers)
    out = ["Capacity information for all workers: "]
    if vcpus is not None:
        out.append("    Total vCPUs: %d" % vcpus)
    out.append("    Total Capacity: %s" % format_size(total))
    for alias in tiers:
        out.append("        Tier: %s  Size: %s" % (alias, format_size(sum(w["capacity"].get(alias, 0) for w in workers))))
    out.append("    Used Capacity: %s" % format_size(used))
    for alias in tiers:
        out.append("        Tier: %s  Size: %s" % (alias, format_size(sum(w["used"].get(alias, 0) for w in workers))))
    if total:
        out.append("    Used Percentage: %d%%" % (used * 100 // total))
        out.append("    Free Percentage: %d%%" % (100 - used * 100 // total))
    out.append("")
    longest = max(len(w["name"]) for w in workers)
    width = 16 if longest < 16 else longest + 5
    name_col = "%-" + str(width) + "s"
    state_col = " %-15s" if state_columns else ""
    multi = len(tiers) > 1
    head = [name_col % "Worker Name"]
    if state_columns:
        head.append(state_col % "State")
    head.append(" %-16s %-13s" % ("Last Heartbeat", "Storage"))
    if multi:
        head.append(" %-16s " % "Total" + "".join("%-14s" % alias for alias in tiers))
    else:
        head.append(" " + ("%-16s" if state_columns else "%s") % tiers[0])
    if state_columns:
        head.append(" %-16s %-40s" % ("Version", "Revision"))
    out.append("".join(head))
    for w in sorted(workers, key=lambda w: w["heartbeat"]):
        cap_total = sum(w["capacity"].values())
        used_total = sum(w["used"].values())
        pct = " (%d%%)" % (used_total * 100 // cap_total) if cap_total else ""
        row = [name_col % w["name"]]
        if state_columns:
            row.append(state_col % w.get("state", "ACTIVE"))
        row.append(" %-16s %-13s" % (w["heartbeat"], "capacity"))
        used = [name_col % ""]
        if state_columns:
            used.append(state_col % "")
        used.append(" %-16s %-13s" % ("", "used"))
        if multi:
            row.append(" %-16s " % format_size(cap_total) + "".join("%-14s" % _tier_cell(w["capacity"], a) for a in tiers))
            used.append(" %-16s " % (format_size(used_total) + pct) + "".join("%-14s" % _tier_cell(w["used"], a) for a in tiers))
        else:
            cell = "%-16s" if state_columns else "%s"  # 2.10 pre-pads the single tier cell
            row.append(" " + cell % format_size(w["capacity"].get(tiers[0], 0)))
            used.append(" " + cell % (format_size(w["used"].get(tiers[0], 0)) + pct))
        if state_columns:
            row.append(" %-16s %-40s" % (w.get("version", "2.10.0"), w.get("revision", "0" * 40)))
            used.append(" %-16s %-40s" % ("", ""))
        out.append("".join(row))
        out.append("".join(used))
    return "\n".join(out) + "\n"


def _tier_cell(sizes, alias):
    return format_size(sizes[alias]) if alias in sizes else "-"
