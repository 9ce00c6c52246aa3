# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE helpers of ``spark_build_context``: a Spark distribution's names, tar member safety and the
inputs digest. Pure: no I/O.

Tar members come in as records, dicts with ``name``, ``type`` (``file``, ``dir``, ``symlink``, ``hardlink``
or what else the member is, such as ``fifo``), ``linkname``, ``mode`` and ``size``, so the checks run the
same on ``tarfile`` members and on hand-made test data.

Symlinks are judged the way the kernel will resolve them once the archive is on disk: a target is followed
through the archive's other symlinks, because a chain of links that each look harmless (``a -> b/c``,
``b/c -> ..``, ``x -> a/..``) can still leave the root.
"""

import hashlib
import json
import re

DIGEST_FORMAT = "dataplane.alluxio_spark spark_build_context inputs v1"
STATE_FILE = ".build-context.json"
JARS_DIR = "jars"

# spark-core_<scala binary version>-<spark version>.jar; a SNAPSHOT or preview keeps its suffix
_SPARK_CORE_RE = re.compile(r"^spark-core_(?P<scala>\d+\.\d+)-(?P<spark>\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.jar$")
_CLASSIFIERS = ("tests", "sources", "javadoc")  # Maven classifier jars are not the core jar
_SAFE_TYPES = ("file", "dir", "symlink", "hardlink")
_SYMLINK_HOPS = 40  # the kernel's own limit (MAXSYMLINKS)


class DistributionError(Exception):
    """A distribution that is not usable: the message says what is wrong with which path."""


class UnsafeArchiveError(DistributionError):
    """A tar member that would write outside the unpack directory, or something else than files, dirs and links."""


def parse_spark_core_jar(name):
    """``{"spark_version", "scala_version"}`` for a spark-core jar name, else None."""
    match = _SPARK_CORE_RE.match(name)
    if not match:
        return None
    if any(match.group("spark").endswith("-" + classifier) for classifier in _CLASSIFIERS):
        return None
    return {"spark_version": match.group("spark"), "scala_version": match.group("scala")}


def find_spark_core(jar_names, where):
    """The versions named by the single spark-core jar among ``jar_names`` (the names in ``where``/jars)."""
    found = sorted(name for name in jar_names if parse_spark_core_jar(name))
    if not found:
        raise DistributionError("%s has no spark-core_<scala>-<version>.jar in %s/: is it a Spark distribution?" % (where, JARS_DIR))
    if len(found) > 1:
        raise DistributionError("%s has several spark-core jars in %s/: %s" % (where, JARS_DIR, ", ".join(found)))
    versions = parse_spark_core_jar(found[0])
    versions["jar"] = found[0]
    return versions


def relative_path(path, what):
    """``path`` as clean slash-separated components; raises when it is absolute, empty or climbs with ``..``."""
    if path.startswith("/"):
        raise DistributionError("%s must be relative, got %r" % (what, path))
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise DistributionError("%s must not contain '..', got %r" % (what, path))
    if not parts:
        raise DistributionError("%s is empty: %r" % (what, path))
    return "/".join(parts)


def _member_path(record):
    """The member's path without ``./`` or trailing slashes ('' for the archive root itself)."""
    name = record["name"]
    if name.startswith("/"):
        raise UnsafeArchiveError("member %r has an absolute name" % name)
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError("member %r has a '..' component" % name)
    return "/".join(parts)


def resolve_in_archive(path, symlinks):
    """Where ``path`` (relative to the root) leads once every symlink of the archive is followed, or None when
    it leaves the root (or loops). ``symlinks`` maps member paths to their targets."""
    resolved = []
    pending = list(reversed(path.split("/")))
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
            continue
        candidate = "/".join(resolved + [part])
        if candidate in symlinks:
            hops += 1
            target = symlinks[candidate]
            if hops > _SYMLINK_HOPS or target.startswith("/"):
                return None
            pending.extend(reversed(target.split("/")))  # relative to the link's directory: `resolved` as it is
            continue
        resolved.append(part)
    return "/".join(resolved)


def check_members(records):
    """Check every member of an archive before anything is extracted; return them as listing entries.

    Each entry is ``{"path", "type", "mode", "size", "target"}`` with a clean ``path`` (the archive root itself
    left out) and, for links, the target: a symlink's as written, a hard link's as a clean archive path. Raises
    UnsafeArchiveError naming the first member that is absolute, climbs with ``..``, is a device, fifo or the like,
    links outside the root, or appears twice (an archive that overwrites its own members says two things).
    """
    entries = []
    seen = {}
    symlinks = {}
    for record in records:
        kind = record["type"]
        if kind not in _SAFE_TYPES:
            raise UnsafeArchiveError("member %r is a %s: only files, directories and links are unpacked" % (record["name"], kind))
        path = _member_path(record)
        if not path:
            continue  # "./": the root directory
        if path in seen and not (kind == "dir" and seen[path] == "dir"):
            raise UnsafeArchiveError("member %r appears more than once in the archive" % record["name"])
        seen[path] = kind
        entry = {"path": path, "type": kind, "mode": record.get("mode", 0) & 0o7777, "size": record.get("size", 0), "target": None}
        if kind == "symlink":
            entry["target"] = record["linkname"]
            symlinks[path] = record["linkname"]
        elif kind == "hardlink":
            try:
                entry["target"] = _member_path({"name": record["linkname"]})
            except UnsafeArchiveError as exc:
                raise UnsafeArchiveError("member %r is a hard link to %r, which leaves the archive root" % (record["name"], record["linkname"])) from exc
            if seen.get(entry["target"]) not in ("file", "hardlink") or entry["target"] == path:
                raise UnsafeArchiveError("member %r is a hard link to %r, which is no earlier file of the archive" % (record["name"], record["linkname"]))
        entries.append(entry)
    for entry in entries:
        # every member's directory and every link target must stay inside once all symlinks exist
        parent = entry["path"].rpartition("/")[0]
        if resolve_in_archive(parent, symlinks) is None:
            raise UnsafeArchiveError("member %r lies behind a symlink that leaves the archive root" % entry["path"])
        if entry["type"] == "symlink":
            if entry["target"].startswith("/"):
                raise UnsafeArchiveError("member %r is a symlink to the absolute path %r" % (entry["path"], entry["target"]))
            joined = (parent + "/" + entry["target"]) if parent else entry["target"]
            if resolve_in_archive(joined, symlinks) is None:
                raise UnsafeArchiveError("member %r is a symlink to %r, which leaves the archive root" % (entry["path"], entry["target"]))
        elif entry["type"] == "hardlink" and resolve_in_archive(entry["target"], symlinks) is None:
            raise UnsafeArchiveError("member %r is a hard link to %r, which leaves the archive root" % (entry["path"], entry["target"]))
    return entries


def distribution_root(paths):
    """The directory of an archive that holds the distribution: '' when ``jars`` is at the top or the members
    have several top-level names, else the single top-level directory (``spark-4.1.4-bin-hadoop3``)."""
    tops = set()
    for path in paths:
        top = path.split("/", 1)[0]
        if top == JARS_DIR:
            return ""
        tops.add(top)
    if len(tops) == 1 and any("/" in path for path in paths):
        return tops.pop()
    return ""


def under_root(entries, root):
    """The entries of the distribution below ``root``, with paths (and hard link targets) relative to it."""
    if not root:
        return [dict(entry) for entry in entries]
    prefix = root + "/"
    inside = []
    for entry in entries:
        if not entry["path"].startswith(prefix):
            continue
        moved = dict(entry, path=entry["path"][len(prefix):])
        if entry["type"] == "hardlink" and entry["target"].startswith(prefix):
            moved["target"] = entry["target"][len(prefix):]
        inside.append(moved)
    return inside


def digest_entry(entry):
    """The (path, type, mode, content) a listing entry contributes: content is a file's sha256 (None when the
    tarball's own sha256 stands for it), a link's target, None for a directory."""
    if entry["type"] in ("symlink", "hardlink"):
        content = entry["target"]
    else:
        content = entry.get("sha256")
    return [entry["path"], entry["type"], entry["mode"], content]


def compose_digest(tarball_sha256, entries, jars, dockerfile, extra_inputs):
    """The sha256 (hex) of everything the image is built from.

    ``tarball_sha256`` is the archive's sha256 for a tarball source (its files are not hashed one by one), None
    for a directory; ``entries`` the distribution listing (see digest_entry); ``jars`` (name, sha256) pairs;
    ``dockerfile`` the Dockerfile's path in the context; ``extra_inputs`` a dict. One JSON line per fact, in a
    fixed order, so no two different inputs can make the same text.
    """
    lines = [json.dumps([DIGEST_FORMAT])]
    lines.append(json.dumps(["tarball", tarball_sha256] if tarball_sha256 else ["directory"]))
    for entry in sorted(entries, key=lambda item: item["path"]):
        lines.append(json.dumps(["entry"] + digest_entry(entry)))
    for name, sha256 in sorted(jars):
        lines.append(json.dumps(["jar", name, sha256]))
    lines.append(json.dumps(["dockerfile", dockerfile]))
    for key in sorted(extra_inputs):
        lines.append(json.dumps(["input", key, extra_inputs[key]], sort_keys=True))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def check_dockerfile(entries, dockerfile, where):
    """The Dockerfile must be a regular file of the distribution (a hard link in an archive is one too)."""
    for entry in entries:
        if entry["path"] == dockerfile:
            if entry["type"] in ("file", "hardlink"):
                return
            raise DistributionError("%s: the Dockerfile %s is a %s, not a regular file" % (where, dockerfile, entry["type"]))
    raise DistributionError("%s has no Dockerfile at %s" % (where, dockerfile))


def distribution_jars(entries):
    """The entries directly in ``jars/``, by name."""
    prefix = JARS_DIR + "/"
    return {
        entry["path"][len(prefix):]: entry
        for entry in entries
        if entry["path"].startswith(prefix) and "/" not in entry["path"][len(prefix):]
    }


def check_distribution(entries, dockerfile, where):
    """Validate a listing (paths relative to the distribution root); return the spark-core versions."""
    if not any(entry["path"] == JARS_DIR and entry["type"] == "dir" for entry in entries) and not distribution_jars(entries):
        raise DistributionError("%s has no %s/ directory: is it a Spark distribution?" % (where, JARS_DIR))
    jars = distribution_jars(entries)
    versions = find_spark_core([name for name, entry in jars.items() if entry["type"] in ("file", "hardlink")], where)
    check_dockerfile(entries, dockerfile, where)
    if any(entry["path"] == STATE_FILE for entry in entries):
        raise DistributionError("%s has a file named %s, the name this module keeps its state in" % (where, STATE_FILE))
    return versions
