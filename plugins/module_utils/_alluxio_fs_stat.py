# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for the output of ``alluxio fs stat <path>`` (Alluxio 2.0 to 3.x). Pure: no I/O.

The CLI prints Guava ``toString()`` forms, ``FileInfo{k=v, ...}`` (2.0-2.6.0) or
``URIStatus{info=FileInfo{...}, cacheContext=...}`` (2.6.1+). Paths are printed unescaped, so a
value may itself contain ``, ``, ``=``, braces or brackets: every field is therefore read by
anchoring on the keys that follow it, never by splitting on ``, ``. Blocks are matched with one
compiled expression each so that a 1 TB file (16,384 blocks) parses in well under a second.

The result is sized for what it becomes, a module's JSON, whose cost in Ansible grows with the
number of values in it: each block is its id and the hosts holding it; the workers' addresses,
and blocks and bytes per host and tier, are listed once per entry. ``summarize_fs_stat`` leaves
out the block list for very large files.
"""

import gc
import re
from contextlib import contextmanager

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    check_text,
    is_log_line,
    reports_binary,
    shorten,
    unexpected_line,
)

COMMAND = "alluxio fs stat"

_HEADER_RE = re.compile(r"^(?P<path>.*) is a (?P<kind>file|directory) path\.$")
MISSING_PATH_RE = re.compile(r'^Path "(?P<path>.*)" does not exist\.$')
_BLOCKS_INTRO = "Containing the following blocks:"
_NO_BLOCKS = "This file does not contain any blocks."

# Hand-edited documentation pastes put stray spaces around '=' and before '{' or '(': allow them
# between structural tokens, never inside values.
_S = r"\s*"


def _key(name):
    return name + _S + "=" + _S


# Everything from "fileId=" up to "fileBlockInfos=[". name/path/ufsPath and owner/group are free
# text; the others have fixed shapes, which is what keeps the free-text fields unambiguous.
_HEAD_RE = re.compile(
    r"(?:URIStatus" + _S + r"\{" + _S + _key("info") + r")?FileInfo" + _S + r"\{" + _S
    + _key("fileId") + r"(?P<file_id>-?\d+), "
    + r"(?:" + _key("fileIdentifier") + r"(?P<file_identifier>[^,]*), )?"
    + _key("name") + r"(?P<names>.*?), " + _key("length") + r"(?P<length>-?\d+), "
    + _key("blockSizeBytes") + r"(?P<block_size_bytes>-?\d+), "
    + _key("creationTimeMs") + r"(?P<creation_time_ms>-?\d+), "
    + _key("completed") + r"(?P<completed>true|false), "
    + _key("folder") + r"(?P<folder>true|false), "
    + _key("pinned") + r"(?P<pinned>true|false), "
    + _key("pinnedlocation") + r"\[(?P<pinned_locations>[^\]]*)\], "
    + _key("cacheable") + r"(?P<cacheable>true|false), "
    + _key("persisted") + r"(?P<persisted>true|false), "
    + _key("blockIds") + r"\[(?P<block_ids>[-\d, ]*)\], "
    + _key("inMemoryPercentage") + r"(?P<in_memory_percentage>-?\d+), "
    + _key("lastModificationTimesMs") + r"(?P<last_modification_time_ms>-?\d+), "
    + _key("ttl") + r"(?P<ttl>-?\d+), "
    + r"(?:" + _key("lastAccessTimesMs") + r"(?P<last_access_time_ms>-?\d+), )?"
    + _key("ttlAction") + r"(?P<ttl_action>\w*), "
    + _key("owner") + r"(?P<owner>.*?), " + _key("group") + r"(?P<group>.*?), "
    + _key("mode") + r"(?P<mode>-?\d+), "
    + _key("persistenceState") + r"(?P<persistence_state>\w*), "
    + _key("mountPoint") + r"(?P<mount_point>true|false), "
    + _key("replicationMax") + r"(?P<replication_max>-?\d+), "
    + _key("replicationMin") + r"(?P<replication_min>-?\d+), "
    + _key("fileBlockInfos") + r"\["
)
# What follows the block list. The URIStatus form (2.6.1+) closes with ", cacheContext=<null or CacheContext{...}>}".
_TAIL_RE = re.compile(
    r"\], " + _key("mountId") + r"(?P<mount_id>-?\d+), "
    + _key("inAlluxioPercentage") + r"(?P<in_alluxio_percentage>-?\d+), "
    + _key("ufsFingerprint") + r"(?P<rest>.*?)\}(?:, " + _key("cacheContext") + r".*\})?$"
)
_FILE_BLOCK_RE = re.compile(
    r"FileBlockInfo" + _S + r"\{" + _S + _key("blockInfo") + r"BlockInfo" + _S + r"\{" + _S
    + _key("id") + r"(?P<id>-?\d+), " + _key("length") + r"(?P<length>-?\d+), "
    + _key("locations") + r"\[(?P<locations>.*?)\]\}, "
    + _key("offset") + r"(?P<offset>-?\d+), " + _key("ufsLocations") + r"\[(?P<ufs_locations>[^\]]*)\]\}"
    + r"(?:, |(?=\]))"  # the next block, or the list's closing bracket
)
# The same, for the usual block whose locations hold no ']' (a domain socket path may): a character
# class instead of a lazy scan, four times faster. Where it does not match, _FILE_BLOCK_RE decides.
_FAST_FILE_BLOCK_RE = re.compile(_FILE_BLOCK_RE.pattern.replace(r"\[(?P<locations>.*?)\]\}, ", r"\[(?P<locations>[^\]]*)\]\}, "))
_BLOCK_LINE_RE = re.compile(
    r"^BlockInfo" + _S + r"\{" + _S + _key("id") + r"(?P<id>-?\d+), " + _key("length") + r"(?P<length>-?\d+), "
    + _key("locations") + r"\[(?P<locations>.*)\]\}$"
)
_LOCATION_RE = re.compile(
    r"BlockLocation" + _S + r"\{" + _S + _key("workerId") + r"(?P<worker_id>-?\d+), "
    + _key("address") + r"WorkerNetAddress" + _S + r"\{" + _S
    + _key("host") + r"(?P<host>.*?), "
    + r"(?:" + _key("containerHost") + r"(?P<container_host>.*?), )?"
    + _key("rpcPort") + r"(?P<rpc_port>-?\d+), " + _key("dataPort") + r"(?P<data_port>-?\d+), "
    + _key("webPort") + r"(?P<web_port>-?\d+), "
    + _key("domainSocketPath") + r"(?P<domain_socket_path>.*?)"
    + r"(?:, " + _key("tieredIdentity") + r"TieredIdentity" + _S + r"\((?P<tiers>.*?)\)"
    + r"|, " + _key("secureRpcPort") + r"-?\d+, " + _key("httpServerPort") + r"-?\d+)?\}, "
    + _key("tierAlias") + r"(?P<tier_alias>[^,}]*), " + _key("mediumType") + r"(?P<medium_type>[^,}]*)\}"
    + r"(?P<sep>, |$)"
)
_NODE_RACK_RE = re.compile(r"^node=(?P<node>.*), rack=(?P<rack>.*)$")
_TIER_RE = re.compile(r"(?:^|, )(?P<name>\w+)=(?P<value>.*?)(?=, \w+=|$)")
_TAIL_KEYS_RE = re.compile(r", (acl|defaultAcl|cacheQuota|cacheScope|xattr|ufsName|contentHash)" + _S + "=" + _S)


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while building the block list.

    A large file yields hundreds of thousands of small, acyclic dicts; each automatic collection
    rescans all of them, which made parsing grow faster than the number of blocks.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@reports_binary(COMMAND)
def parse_fs_stat(text, warn=None):
    """Parse ``alluxio fs stat`` output into the ``alluxio_fs_stat_info`` return contract.

    Returns ``{'exists', 'path', 'file', 'more_files', 'worker_hosts'}``; ``file`` is the first
    (usually only) entry and ``more_files`` the others, as a wildcard prints one entry per match.
    A ``Path "..." does not exist.`` answer gives ``exists: False`` and ``file: None``.
    Raises AlluxioParseError naming the offending line.
    """
    warn = warn or (lambda message: None)
    check_text(COMMAND, text, split=False)
    lines = _Lines(text)
    entries = []
    unknown = []  # line numbers of unknown lines before the first entry
    index = 0
    count = len(lines)
    while index < count:
        line = lines[index]
        number = index + 1
        header = _HEADER_RE.match(line)
        if header:
            _warn_unknown(lines, unknown, warn)
            index = _parse_entry(lines, index, header, entries, warn)
            continue
        missing = MISSING_PATH_RE.match(line)
        if missing and not entries:
            _warn_unknown(lines, unknown, warn)
            return {"exists": False, "path": missing.group("path"), "file": None, "more_files": [], "worker_hosts": []}
        if line.strip() and not is_log_line(line):
            if entries:
                warn(unexpected_line(COMMAND, number, line))
            else:
                unknown.append(number)
        index += 1
    if not entries:
        if unknown:
            raise AlluxioParseError(
                COMMAND, unknown[0],
                "expected '<path> is a file path.' or '<path> is a directory path.', got %r" % shorten(lines[unknown[0] - 1]),
            )
        raise AlluxioParseError(COMMAND, 0, "no '<path> is a file path.' line found (only log lines)")
    hosts = sorted({host for entry in entries for host in entry["per_host"]})
    return {"exists": True, "path": entries[0]["path"], "file": entries[0], "more_files": entries[1:], "worker_hosts": hosts}


def summarize_fs_stat(result):
    """The parse result without the block lists: file facts, block count, blocks and bytes per
    worker host, the workers. For files too large to return block by block."""
    summary = dict(result)
    if result["file"] is not None:
        summary["file"] = _summary(result["file"])
    summary["more_files"] = [_summary(entry) for entry in result["more_files"]]
    return summary


def _summary(entry):
    return {key: value for key, value in entry.items() if key != "blocks"}


class _Blocks(object):
    """An entry's blocks as the parser reads them: the per-block records the result keeps
    (``{'id', 'hosts'}``), every worker once, and blocks and bytes per host and per tier there.

    The same few workers hold every block, so location texts repeat: each distinct one is read
    once, blocks sharing it share their ``hosts`` list, and the totals are summed per distinct
    text, then per host.
    """

    def __init__(self):
        self.blocks = []
        self._workers = {}  # printed address -> worker
        self._known = {}  # location text -> [hosts, copies, blocks, bytes]

    @property
    def workers(self):
        return list(self._workers.values())

    def add(self, block_id, length, locations, number):
        known = self._known.get(locations)
        if known is None:
            known = self._known[locations] = self._read(locations, number)
        self.blocks.append({"id": block_id, "hosts": known[0]})
        known[2] += 1
        known[3] += length

    @property
    def per_host(self):
        """{host: {'blocks', 'bytes', 'tiers': {alias: {'blocks', 'bytes'}}}} over the blocks with a copy there."""
        per_host = {}
        for _hosts, copies, blocks, size in self._known.values():
            for host, tiers in copies:
                totals = per_host.setdefault(host, {"blocks": 0, "bytes": 0, "tiers": {}})
                totals["blocks"] += blocks
                totals["bytes"] += size
                for tier in tiers:
                    counted = totals["tiers"].setdefault(tier, {"blocks": 0, "bytes": 0})
                    counted["blocks"] += blocks
                    counted["bytes"] += size
        for totals in per_host.values():
            totals["tiers"] = dict(sorted(totals["tiers"].items()))
        return dict(sorted(per_host.items()))

    def _read(self, text, number):
        """[hosts in Alluxio's order, each once; ((host, its copies' tiers), ...); 0 blocks; 0 bytes]."""
        tiers_by_host = {}
        for parsed, tier_alias in _parse_locations(text, number):
            worker = self._workers.setdefault(tuple(parsed.values()), parsed)
            tiers = tiers_by_host.setdefault(worker["host"], [])
            if tier_alias not in tiers:
                tiers.append(tier_alias)
        return [list(tiers_by_host), tuple((host, tuple(tiers)) for host, tiers in tiers_by_host.items()), 0, 0]


def _warn_unknown(lines, numbers, warn):
    for number in numbers:
        warn(unexpected_line(COMMAND, number, lines[number - 1]))
    del numbers[:]


class _Lines:
    """The lines of a text by index, without copying it: a 1 TB file's status line alone is
    tens of megabytes, so it is read in place (``span``), never sliced out."""

    def __init__(self, text):
        self.text = text
        starts = [0]
        find = text.find
        newline = find("\n")
        while newline != -1:
            starts.append(newline + 1)
            newline = find("\n", newline + 1)
        if starts[-1] == len(text):
            starts.pop()
        self.starts = starts

    def __len__(self):
        return len(self.starts)

    def span(self, index):
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        if end > start and self.text[end - 1] == "\n":  # the text's final line end
            end -= 1
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def __getitem__(self, index):
        start, end = self.span(index)
        return self.text[start:end]

    def startswith(self, index, prefix):
        return self.text.startswith(prefix, *self.span(index))


def _parse_entry(lines, index, header, entries, warn):
    """Parse one '<path> is a ... path.' entry starting at lines[index]; return the next index."""
    if index + 1 >= len(lines):
        raise AlluxioParseError(COMMAND, index + 1, "output ends after the header: the status line is missing (truncated?)")
    status_number = index + 2
    blocks = _Blocks()
    entry, block_ids = _parse_status(lines.text, *lines.span(index + 1), number=status_number, blocks=blocks)
    if entry["path"] != header.group("path") and not _is_wildcard(header.group("path")):
        warn("%s: line %d: header names %r but the status is for %r" % (COMMAND, index + 1, header.group("path"), entry["path"]))
    if (header.group("kind") == "directory") != entry["folder"]:
        raise AlluxioParseError(
            COMMAND, status_number,
            "the header says %s but the status has folder=%s" % (header.group("kind"), str(entry["folder"]).lower()),
        )
    index += 2
    if index < len(lines) and lines[index].rstrip() == _NO_BLOCKS:
        index += 1
    elif index < len(lines) and lines[index].rstrip() == _BLOCKS_INTRO:
        index = _check_block_lines(lines, index + 1, block_ids, blocks, warn)
    elif not entry["folder"] and block_ids:
        raise AlluxioParseError(
            COMMAND, index + 1,
            "expected %r after the status of a file with %d block(s) (truncated?)" % (_BLOCKS_INTRO, len(block_ids)),
        )
    entry.update(block_count=len(block_ids), per_host=blocks.per_host, workers=blocks.workers, blocks=blocks.blocks)
    entries.append(entry)
    return index


def _is_wildcard(path):
    return "*" in path or "?" in path


def _parse_status(text, start, end, number, blocks):
    """Parse the status line text[start:end] in place into (entry facts, block ids); its blocks go to ``blocks``."""
    head = _HEAD_RE.match(text, start, end)
    if not head:
        excerpt = shorten(text[start:min(end, start + 200)])
        if text.startswith(("FileInfo", "URIStatus"), start, end):
            raise AlluxioParseError(COMMAND, number, "the status line has an unknown field layout: %r" % excerpt)
        raise AlluxioParseError(COMMAND, number, "expected a FileInfo{...} or URIStatus{...} line, got %r" % excerpt)
    with _collector_paused():
        tail_start = _parse_file_blocks(text, head.end(), end, number, blocks)
    tail = _TAIL_RE.match(text, tail_start, end)
    if not tail:
        raise AlluxioParseError(COMMAND, number, "the status line does not end with 'mountId=..., inAlluxioPercentage=...}' (truncated?)")
    name, path, ufs_path = _split_names(head.group("names"), number)
    block_ids = [int(part) for part in head.group("block_ids").split(", ") if part]
    extra = _tail_fields(tail.group("rest"))
    return {
        "file_id": int(head.group("file_id")),
        "path": path,
        "name": name,
        "ufs_path": ufs_path,
        "folder": head.group("folder") == "true",
        "length": int(head.group("length")),
        "block_size_bytes": int(head.group("block_size_bytes")),
        "completed": head.group("completed") == "true",
        "persisted": head.group("persisted") == "true",
        "persistence_state": head.group("persistence_state"),
        "in_alluxio_percentage": int(tail.group("in_alluxio_percentage")),
        "in_memory_percentage": int(head.group("in_memory_percentage")),
        "mode": int(head.group("mode")),
        "mode_octal": "%04o" % int(head.group("mode")),
        "owner": head.group("owner"),
        "group": head.group("group"),
        "pinned": head.group("pinned") == "true",
        "ttl": int(head.group("ttl")),
        "ttl_action": head.group("ttl_action"),
        "creation_time_ms": int(head.group("creation_time_ms")),
        "last_modification_time_ms": int(head.group("last_modification_time_ms")),
        "mount_id": int(tail.group("mount_id")),
        "ufs_fingerprint": extra.get("ufsFingerprint", ""),
        "acl": extra.get("acl", ""),
        "default_acl": extra.get("defaultAcl", ""),
    }, block_ids


def _split_names(names, number):
    """Split 'NAME, path=PATH, ufsPath=UFS' where any of the three may contain ', path=' etc.

    Alluxio's name is the last component of its path (and a path has no trailing slash), and the
    ufsPath of a file under the root mount ends with the path: the split that fits best wins,
    the longest path among equals. A path that defeats all three is ambiguous in the CLI's text
    itself.
    """
    path_key = re.compile(r", path" + _S + "=" + _S)
    ufs_key = re.compile(r", ufsPath" + _S + "=" + _S)
    best = best_score = None
    for path_match in path_key.finditer(names):
        name = names[:path_match.start()]
        rest = names[path_match.end():]
        for ufs_match in ufs_key.finditer(rest):
            path, ufs_path = rest[:ufs_match.start()], rest[ufs_match.end():]
            fits = path == "/" and name == "" or (not path.endswith("/") and path.rsplit("/", 1)[-1] == name)
            score = (fits, ufs_path.endswith(path), len(path))
            if best_score is None or score > best_score:
                best, best_score = (name.strip(), path.strip(), ufs_path.strip()), score
    if best is None:
        raise AlluxioParseError(COMMAND, number, "no 'path=' and 'ufsPath=' in %r" % shorten(names))
    return best


def _tail_fields(rest):
    """Fields after inAlluxioPercentage, keyed by their Alluxio names; the ACLs carry bare commas."""
    fields = {}
    key = "ufsFingerprint"
    position = 0
    for match in _TAIL_KEYS_RE.finditer(rest):
        fields[key] = rest[position:match.start()].strip()
        key, position = match.group(1), match.end()
    fields[key] = rest[position:].strip()
    return fields


def _parse_file_blocks(line, position, end, number, blocks):
    """Parse the FileBlockInfo list that starts at line[position] (just inside fileBlockInfos=[)
    into ``blocks``; return the position of the list's closing bracket.

    One pass: the list's end is found by reading it, not by searching ahead through what may be
    tens of megabytes. Offsets and UFS locations are read past: an offset is always the block's
    index times the block size, and UFS locations say nothing about Alluxio's copies.
    """
    add = blocks.add
    fast = _FAST_FILE_BLOCK_RE.match
    count = 0
    while not line.startswith("]", position, end):
        match = fast(line, position, end) or _FILE_BLOCK_RE.match(line, position, end)
        if not match:
            # A complete status line ends with the FileInfo's (or URIStatus') closing brace.
            cut_short = " (truncated?)" if not line.startswith("}", end - 1, end) else ""
            raise AlluxioParseError(
                COMMAND, number,
                "block %d of fileBlockInfos is not FileBlockInfo{blockInfo=BlockInfo{...}, offset=..., ufsLocations=[...]}%s: %r"
                % (count + 1, cut_short, shorten(line[position:min(end, position + 200)])),
            )
        block_id, length, locations = match.group("id", "length", "locations")
        add(int(block_id), int(length), locations, number)
        count += 1
        position = match.end()
    return position


def _parse_locations(text, number):
    """Yield (worker, tier alias) for each BlockLocation in ``text``."""
    position = 0
    while position < len(text):
        match = _LOCATION_RE.match(text, position)
        if not match:
            raise AlluxioParseError(COMMAND, number, "cannot read the block location %r" % shorten(text[position:]))
        (worker_id, host, container_host, rpc_port, data_port, web_port, socket_path, tiers, tier_alias) = match.group(
            "worker_id", "host", "container_host", "rpc_port", "data_port", "web_port", "domain_socket_path", "tiers", "tier_alias")
        node, rack = _parse_tiers(tiers)
        yield {
            "worker_id": int(worker_id),
            "host": host.strip(),
            "container_host": (container_host or "").strip(),
            "rpc_port": int(rpc_port),
            "data_port": int(data_port),
            "web_port": int(web_port),
            "domain_socket_path": socket_path.strip(),
            "node": node,
            "rack": rack,
        }, tier_alias.strip()
        position = match.end()


def _parse_tiers(text):
    """(node, rack) of TieredIdentity(node=..., rack=...); node is a host, so it may hold what a host holds."""
    if not text:
        return None, None  # 3.x prints no tiered identity
    usual = _NODE_RACK_RE.match(text)
    tiers = usual.groupdict() if usual else {t.group("name"): t.group("value") for t in _TIER_RE.finditer(text)}
    return _null(tiers.get("node")), _null(tiers.get("rack"))


def _check_block_lines(lines, index, block_ids, blocks, warn):
    """Read the BlockInfo lines after 'Containing the following blocks:'.

    They repeat fileBlockInfos; when the status carried no block details (it always does in
    2.x), they are the source. Their count must match blockIds, or the output was cut short.
    Log lines among them are skipped, other unknown lines are warnings.
    """
    expected = len(block_ids)
    seen = 0
    from_lines = not blocks.blocks
    count = len(lines)
    while index < count:
        if lines.startswith(index, "BlockInfo"):
            if from_lines:
                match = _BLOCK_LINE_RE.match(lines[index])
                if not match:
                    raise AlluxioParseError(COMMAND, index + 1, "cannot read the block line %r" % shorten(lines[index]))
                blocks.add(int(match.group("id")), int(match.group("length")), match.group("locations"), index + 1)
            seen += 1
        elif seen >= expected or _HEADER_RE.match(lines[index]):
            break  # the next entry, or what follows the blocks
        elif lines[index].strip() and not is_log_line(lines[index]):
            warn(unexpected_line(COMMAND, index + 1, lines[index]))
        index += 1
    if seen != expected:
        raise AlluxioParseError(
            COMMAND, index + 1 if index < count else count,
            "blockIds lists %d block(s) but %d BlockInfo line(s) follow (truncated?)" % (expected, seen),
        )
    return index


def _null(value):
    return None if value in (None, "null") else value
