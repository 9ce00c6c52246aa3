#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: spark_build_context
short_description: Prepare the build context of a Spark image with extra jars, and a digest of its inputs
version_added: 0.4.0
description:
  - Spark's distribution carries its own Dockerfile (C(kubernetes/dockerfiles/spark/Dockerfile)) whose build context is the
    distribution root. This module makes that context in O(dest) - the distribution plus extra jars (such as the Alluxio client
    jar) in C(jars/) - and returns a digest of every input, so a role rebuilds the image only when an input changed.
  - Every regular file of the distribution is hard-linked into O(dest) (copied when hard-linking fails, for example across
    file systems), symlinks are recreated, directories created and modes kept. Since the files are hard links, editing one in
    place edits the distribution too.
  - The context is built in C(<dest>.tmp-<pid>) and then swapped into place, so a failed run never leaves half a context.
    An existing O(dest) that is not empty and holds no C(.build-context.json) is never replaced.
  - O(dest)/C(.build-context.json) records the digest, what the context holds, and for each file of a distribution directory
    (and each extra jar, and a tarball) its size, C(mtime_ns), inode and sha256. A later run reuses a recorded sha256 while
    size, C(mtime_ns) and inode are unchanged (the context's hard links share the inode, so they stay unchanged), which keeps a
    second run of a 460 MB distribution to seconds. A file rewritten in place with the same size and C(mtime_ns) would go
    unnoticed.
  - When the recorded digest equals the new one and every file of the context is present, nothing is written (C(changed=false)).
  - A tarball is checked member by member before anything is unpacked (absolute names, C(..), symlinks or hard links leading
    out of the archive root, devices and fifos are refused), then unpacked into C(<dest>.unpacked/<sha256[:16]>/) and reused
    from there; other trees in C(<dest>.unpacked/) are removed once a context is built.
  - The digest of a tarball source is made of the tarball's sha256 and its member listing (not of the unpacked files), so check
    mode, which unpacks nothing, and real runs agree.
author:
  - Dataplane team (@dataplane)
options:
  distribution:
    description:
      - A Spark distribution directory, or a tarball (C(.tgz), C(.tar.gz), C(.tar)) of one.
      - Apache's tarballs hold one top directory (C(spark-4.1.4-bin-hadoop3/)), which is the distribution root; members at the
        top level are fine too.
      - The root must hold C(jars/spark-core_<scala>-<version>.jar) and O(dockerfile).
    type: path
    required: true
  jars:
    description:
      - Jar files to add to the context's C(jars/), under their own basenames.
      - A jar whose name is already taken by a different file in the distribution's C(jars/) is an error; an identical file
        is fine.
    type: list
    elements: path
    default: []
  dest:
    description:
      - The build-context directory to create or refresh. Its parent is created when missing.
    type: path
    required: true
  dockerfile:
    description:
      - The Dockerfile, relative to the distribution root. It must exist; Spark 2.4 to 4.x keep it at the default path.
    type: str
    default: kubernetes/dockerfiles/spark/Dockerfile
  extra_inputs:
    description:
      - Anything else that should invalidate the image, such as build arguments or the base image name; folded into
        RV(inputs_digest), nothing else.
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    description: Computes everything and reports C(changed) as a real run would, but writes nothing, not even the unpack cache.
notes:
  - Build the image with the returned RV(context) as build context and RV(dockerfile) as the Dockerfile.
"""

EXAMPLES = r"""
- name: Spark's build context with the Alluxio client jar
  dataplane.alluxio_spark.spark_build_context:
    distribution: /opt/downloads/spark-4.1.4-bin-hadoop3.tgz
    jars:
      - /opt/downloads/alluxio-2.9.6-client.jar
    dest: /var/tmp/spark-image/context
    extra_inputs:
      base_image: eclipse-temurin:21-jre
      java_image_tag: 21-jre
  register: spark_context

- name: Build the image only when an input changed
  ansible.builtin.command:
    argv: [docker, build, -t, "spark-alluxio:{{ spark_context.inputs_digest[:12] }}",
           -f, "{{ spark_context.context }}/{{ spark_context.dockerfile }}", "{{ spark_context.context }}"]
  when: spark_context.changed
  changed_when: true
"""

RETURN = r"""
context:
  description: Absolute path of the build context (O(dest)).
  returned: success
  type: str
  sample: /var/tmp/spark-image/context
dockerfile:
  description: The Dockerfile's path relative to the context.
  returned: success
  type: str
  sample: kubernetes/dockerfiles/spark/Dockerfile
spark_version:
  description: Spark version, from the name of the distribution's spark-core jar.
  returned: success
  type: str
  sample: 4.1.4
scala_version:
  description: Scala binary version, from the name of the distribution's spark-core jar.
  returned: success
  type: str
  sample: "2.13"
inputs_digest:
  description:
    - sha256 (hex) of the distribution (for a directory, each file's path, mode and sha256 and each symlink's target; for a
      tarball, its sha256 and member listing), the extra jars' names and sha256, the Dockerfile path and O(extra_inputs).
  returned: success
  type: str
  sample: 0f9d1c3bfa0ad6a2d0be3ae1c4f0c1e55bdbc0c9a1f3bd52a1fb7c7a1d6f8a21
jars:
  description: The extra jars in the context, by name.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The jar's name in the context's C(jars/).
      type: str
      sample: alluxio-2.9.6-client.jar
    sha256:
      description: sha256 (hex) of the jar.
      type: str
    size:
      description: Size in bytes.
      type: int
files:
  description: Number of files and symlinks in the context, the extra jars included and the state file not.
  returned: success
  type: int
  sample: 312
"""

import hashlib
import json
import os
import re
import shutil
import stat
import tarfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_distribution import (
    JARS_DIR,
    STATE_FILE,
    DistributionError,
    UnsafeArchiveError,
    check_distribution,
    check_members,
    compose_digest,
    distribution_jars,
    distribution_root,
    relative_path,
    under_root,
)

STATE_FORMAT = 1
_CHUNK = 1024 * 1024
_UNPACKED_RE = re.compile(r"^[0-9a-f]{16}$")


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stat_key(info):
    """What must stay the same for a recorded sha256 to hold."""
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def cached_sha256(path, info, record):
    """The sha256 in ``record`` ([size, mtime_ns, inode, sha256]) while the file's stat matches it, else a fresh one."""
    if record and list(record[:3]) == stat_key(info):
        return record[3]
    return file_sha256(path)


def remove_path(path):
    if os.path.isdir(path) and not os.path.islink(path):
        # a distribution's read-only directories are copied as such: open them up (only directories: files are
        # hard links that the distribution shares) or their entries cannot be removed
        os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) | stat.S_IRWXU)
        for folder, directories, _files in os.walk(path):
            for name in directories:
                inner = os.path.join(folder, name)
                if not os.path.islink(inner):
                    os.chmod(inner, stat.S_IMODE(os.lstat(inner).st_mode) | stat.S_IRWXU)
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def read_state(dest):
    """The state file of an earlier run, {} when there is none (or it cannot be read: then the context is rebuilt)."""
    if os.path.lexists(dest) and not os.path.isdir(dest):
        raise DistributionError("dest %s exists and is not a directory" % dest)
    path = os.path.join(dest, STATE_FILE)
    if not os.path.isdir(dest):
        return {}
    if not os.path.isfile(path):
        if os.listdir(dest):
            raise DistributionError("dest %s is a non-empty directory without %s: refusing to replace what this module did not make" % (dest, STATE_FILE))
        return {}
    try:
        with open(path) as handle:
            state = json.load(handle)
    except ValueError:
        return {"unreadable": True}
    return state if isinstance(state, dict) and state.get("format") == STATE_FORMAT else {"unreadable": True}


def scan_tree(root, hashes=None):
    """Every directory, regular file and symlink below ``root`` as listing entries, parents before children.

    With ``hashes`` (a dict, possibly empty), regular files get their sha256, reused from ``hashes[path]`` while
    the stat matches, and their ``stat`` key.
    """
    entries = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative) if relative else root) as listing:
            items = sorted(listing, key=lambda item: item.name)
        for item in items:
            path = relative + "/" + item.name if relative else item.name
            info = item.stat(follow_symlinks=False)
            entry = {"path": path, "mode": stat.S_IMODE(info.st_mode), "size": 0, "target": None}
            if stat.S_ISLNK(info.st_mode):
                entry.update(type="symlink", target=os.readlink(item.path))
            elif stat.S_ISDIR(info.st_mode):
                entry["type"] = "dir"
                pending.append(path)
            elif stat.S_ISREG(info.st_mode):
                entry.update(type="file", size=info.st_size)
                if hashes is not None:
                    entry.update(sha256=cached_sha256(item.path, info, hashes.get(path)), stat=stat_key(info))
            else:
                raise DistributionError("%s is neither a file, a directory nor a symlink: a distribution holds nothing else" % item.path)
            entries.append(entry)
    entries.sort(key=lambda entry: entry["path"])  # a parent's path is a prefix of its children's: it sorts first
    return entries


MEMBER_KINDS = (
    ("isreg", "file"), ("isdir", "dir"), ("issym", "symlink"), ("islnk", "hardlink"),
    ("ischr", "character device"), ("isblk", "block device"), ("isfifo", "fifo"),
)


def member_record(member):
    kind = next((name for test, name in MEMBER_KINDS if getattr(member, test)()), "member of type %r" % member.type)
    return {"name": member.name, "type": kind, "linkname": member.linkname, "mode": member.mode, "size": member.size}


def open_tarball(path):
    try:
        return tarfile.open(path, "r:*")
    except tarfile.TarError as exc:
        raise DistributionError("distribution %s is neither a directory nor a tar archive (%s)" % (path, exc)) from exc


def read_members(path):
    """Check every member of the tarball; return (root, entries relative to the root)."""
    with open_tarball(path) as archive:
        try:
            records = [member_record(member) for member in archive.getmembers()]
        except tarfile.TarError as exc:
            raise DistributionError("cannot read the tarball %s: %s" % (path, exc)) from exc
    try:
        entries = check_members(records)
    except UnsafeArchiveError as exc:
        raise DistributionError("unsafe tarball %s: %s" % (path, exc)) from exc
    root = distribution_root([entry["path"] for entry in entries])
    return root, under_root(entries, root)


def tarball_facts(path, state):
    """sha256, root and member listing of a tarball; the state's copy is reused while the tarball is unchanged."""
    info = os.stat(path)
    recorded = state.get("tarball") or {}
    if recorded.get("path") == path and [recorded.get("size"), recorded.get("mtime_ns"), recorded.get("inode")] == stat_key(info):
        sha256 = recorded["sha256"]
    else:
        sha256 = file_sha256(path)
    if recorded.get("sha256") == sha256 and isinstance(recorded.get("entries"), list):
        root, entries = recorded["root"], recorded["entries"]
    else:
        root, entries = read_members(path)
    size, mtime_ns, inode = stat_key(info)
    return {"path": path, "size": size, "mtime_ns": mtime_ns, "inode": inode, "sha256": sha256, "root": root, "entries": entries}


def tarball_member_sha256(path, name):
    """sha256 of one member's content, read from the archive without unpacking it."""
    digest = hashlib.sha256()
    with open_tarball(path) as archive:
        handle = archive.extractfile(name)
        with handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    return digest.hexdigest()


def extract(archive, members, into):
    if hasattr(tarfile, "data_filter"):
        archive.extractall(into, members=members, filter="data")
        return
    # Pythons without extraction filters: what the 'data' filter would do to owners and modes
    for member in members:
        member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
        member.mode = (member.mode & 0o755) | (0o700 if member.isdir() else 0o600)
    archive.extractall(into, members=members)


def unpack(tarball, dest):
    """The tarball unpacked in <dest>.unpacked/<sha256[:16]>, reused when already there; returns the distribution root."""
    target = os.path.join(dest + ".unpacked", tarball["sha256"][:16])
    root = os.path.join(target, tarball["root"]) if tarball["root"] else target
    if os.path.isdir(os.path.join(root, JARS_DIR)):
        return root
    remove_path(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = "%s.tmp-%d" % (target, os.getpid())
    remove_path(temporary)
    os.mkdir(temporary)
    try:
        with open_tarball(tarball["path"]) as archive:
            members = archive.getmembers()
            try:
                check_members([member_record(member) for member in members])
            except UnsafeArchiveError as exc:  # the tarball changed since it was hashed
                raise DistributionError("unsafe tarball %s: %s" % (tarball["path"], exc)) from exc
            extract(archive, members, temporary)
        os.rename(temporary, target)
    except BaseException:
        remove_path(temporary)
        raise
    return root


def prune_unpacked(dest, keep):
    """Trees of earlier tarballs take hundreds of MB each: keep only the current one."""
    cache = dest + ".unpacked"
    if os.path.isdir(cache):
        for name in os.listdir(cache):
            if _UNPACKED_RE.match(name) and name != keep:
                remove_path(os.path.join(cache, name))


def extra_jars(paths, state, listing, distribution_content):
    """The extra jars: name, sha256, size, source path and whether the distribution already holds that very file."""
    recorded = state.get("jars") or {}
    in_distribution = distribution_jars(listing)
    by_name = {}
    for given in paths:
        source = os.path.realpath(given)
        if not os.path.exists(source):
            raise DistributionError("jar %s does not exist" % given)
        if not os.path.isfile(source):
            raise DistributionError("jar %s is not a regular file" % given)
        info = os.stat(source)
        jar = {"name": os.path.basename(given), "sha256": cached_sha256(source, info, recorded.get(source)), "size": info.st_size,
               "source": source, "given": given, "stat": stat_key(info), "in_distribution": False}
        other = by_name.get(jar["name"])
        if other:
            if other["sha256"] != jar["sha256"]:
                raise DistributionError("jars %s and %s have the same name and different contents" % (other["given"], given))
            continue
        entry = in_distribution.get(jar["name"])
        if entry:
            where = distribution_content(entry, None)
            if entry["type"] not in ("file", "hardlink"):
                raise DistributionError("jar %s clashes with %s, a %s of the distribution" % (given, where, entry["type"]))
            if distribution_content(entry, "sha256") != jar["sha256"]:
                raise DistributionError("jar %s clashes with %s, a different file of the same name in the distribution" % (given, where))
            jar["in_distribution"] = True
        by_name[jar["name"]] = jar
    return [by_name[name] for name in sorted(by_name)]


def context_present(dest, state):
    """Whether every file, link and directory the state lists is still in the context."""
    if not state.get("context"):
        return False
    for path, kind, size in state["context"]:
        try:
            info = os.lstat(os.path.join(dest, path))
        except OSError:
            return False
        if kind == "dir" and not stat.S_ISDIR(info.st_mode):
            return False
        if kind == "symlink" and not stat.S_ISLNK(info.st_mode):
            return False
        if kind == "file" and not (stat.S_ISREG(info.st_mode) and info.st_size == size):
            return False
    return True


def link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:  # another file system, or a file the user may read but not link (fs.protected_hardlinks)
        shutil.copy2(source, target)


def build_context(dest, root, tree, jars, state):
    """Make the context beside ``dest`` and swap it in: the old context stays whole until the new one is."""
    parent = os.path.dirname(dest)
    if not os.path.isdir(parent):
        os.makedirs(parent)
    temporary = "%s.tmp-%d" % (dest, os.getpid())
    previous = "%s.old-%d" % (dest, os.getpid())
    remove_path(temporary)
    remove_path(previous)
    os.mkdir(temporary)
    try:
        directories = []
        for entry in tree:
            target = os.path.join(temporary, entry["path"])
            if entry["type"] == "dir":
                os.mkdir(target)
                directories.append((target, entry["mode"]))
            elif entry["type"] == "symlink":
                os.symlink(entry["target"], target)
            else:
                link_or_copy(os.path.join(root, entry["path"]), target)
        for jar in jars:
            if not jar["in_distribution"]:
                link_or_copy(jar["source"], os.path.join(temporary, JARS_DIR, jar["name"]))
        for target, mode in reversed(directories):  # last: a read-only directory must not stop its own filling
            os.chmod(target, mode)
        with open(os.path.join(temporary, STATE_FILE), "w") as handle:
            json.dump(state, handle, sort_keys=True)
        if os.path.lexists(dest):
            os.rename(dest, previous)
            try:
                os.rename(temporary, dest)
            except OSError:
                os.rename(previous, dest)
                raise
            remove_path(previous)
        else:
            os.rename(temporary, dest)
    except BaseException:
        remove_path(temporary)
        raise


def check_locations(distribution, dest):
    real_distribution, real_dest = os.path.realpath(distribution), os.path.realpath(dest)
    if os.path.commonpath([real_distribution, real_dest]) in (real_distribution, real_dest):
        raise DistributionError("dest %s and distribution %s must not contain one another" % (dest, distribution))


def prepare(params, check_mode):
    distribution = os.path.abspath(params["distribution"])
    dest = os.path.abspath(params["dest"])
    dockerfile = relative_path(params["dockerfile"], "dockerfile")
    extra_inputs = params["extra_inputs"] or {}
    if not os.path.exists(distribution):
        raise DistributionError("distribution %s does not exist" % distribution)
    check_locations(distribution, dest)
    state = read_state(dest)

    tarball = None
    if os.path.isdir(distribution):
        same_source = state.get("source") == "directory" and state.get("distribution") == distribution
        listing = scan_tree(distribution, hashes=(state.get("files") or {}) if same_source else {})
        where = distribution
    else:
        tarball = tarball_facts(distribution, state)
        listing = tarball["entries"]
        where = "%s (root %s)" % (distribution, tarball["root"] + "/" if tarball["root"] else "at the top level")
    versions = check_distribution(listing, dockerfile, where)

    def distribution_content(entry, what):
        """The path of a distribution file (what=None) or its sha256."""
        if tarball is None:
            return os.path.join(distribution, entry["path"]) if what is None else entry["sha256"]
        member = tarball["root"] + "/" + entry["path"] if tarball["root"] else entry["path"]
        return "%s:%s" % (distribution, member) if what is None else tarball_member_sha256(distribution, member)

    jars = extra_jars(params["jars"], state, listing, distribution_content)
    digest = compose_digest(tarball["sha256"] if tarball else None, listing, [(jar["name"], jar["sha256"]) for jar in jars], dockerfile, extra_inputs)
    linked = [entry for entry in listing if entry["type"] != "dir"]
    added = [jar for jar in jars if not jar["in_distribution"]]
    result = dict(
        context=dest,
        dockerfile=dockerfile,
        spark_version=versions["spark_version"],
        scala_version=versions["scala_version"],
        inputs_digest=digest,
        jars=[{"name": jar["name"], "sha256": jar["sha256"], "size": jar["size"]} for jar in jars],
        files=len(linked) + len(added),
    )
    result["changed"] = not (state.get("inputs_digest") == digest and context_present(dest, state))
    if not result["changed"] or check_mode:
        return result

    if tarball is None:
        root, tree = distribution, listing
    else:
        root = unpack(tarball, dest)
        tree = scan_tree(root)
    new_state = {
        "format": STATE_FORMAT,
        "inputs_digest": digest,
        "source": "directory" if tarball is None else "tarball",
        "distribution": distribution,
        "files": {entry["path"]: entry["stat"] + [entry["sha256"]] for entry in listing if "sha256" in entry},
        "tarball": tarball,
        "jars": {jar["source"]: jar["stat"] + [jar["sha256"]] for jar in jars},
        "context": [[entry["path"], entry["type"], entry["size"]] for entry in tree]
        + [[JARS_DIR + "/" + jar["name"], "file", jar["size"]] for jar in added],
    }
    build_context(dest, root, tree, jars, new_state)
    if tarball is not None:
        prune_unpacked(dest, keep=tarball["sha256"][:16])
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            distribution=dict(type="path", required=True),
            jars=dict(type="list", elements="path", default=[]),
            dest=dict(type="path", required=True),
            dockerfile=dict(type="str", default="kubernetes/dockerfiles/spark/Dockerfile"),
            extra_inputs=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    try:
        result = prepare(module.params, module.check_mode)
    except DistributionError as exc:
        module.fail_json(msg=str(exc))
    except tarfile.TarError as exc:
        module.fail_json(msg="Cannot unpack %s: %s" % (module.params["distribution"], exc))
    except OSError as exc:
        module.fail_json(msg="Cannot prepare the build context %s: %s" % (module.params["dest"], exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
