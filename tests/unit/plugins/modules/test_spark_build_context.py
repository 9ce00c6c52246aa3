# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""spark_build_context on small fake distributions: the context, the digest, idempotence, check mode, tarballs."""

import errno
import hashlib
import io
import json
import os
import stat
import tarfile

import pytest
import yaml

from ansible_collections.dataplane.alluxio_spark.plugins.modules import spark_build_context
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.module_run import run_module

DOCKERFILE = "kubernetes/dockerfiles/spark/Dockerfile"
CORE = "jars/spark-core_2.13-4.1.4.jar"
TOP = "spark-4.1.4-bin-hadoop3"
FILES = {  # path -> (content, mode)
    CORE: (b"core classes", 0o644),
    "jars/scala-library-2.13.16.jar": (b"scala", 0o644),
    "bin/spark-submit": (b"#!/bin/sh\nexec java\n", 0o755),
    DOCKERFILE: (b"FROM eclipse-temurin:21-jre\nCOPY jars /opt/spark/jars\n", 0o644),
    "kubernetes/dockerfiles/spark/entrypoint.sh": (b"#!/bin/bash\n", 0o755),
    "RELEASE": (b"Spark 4.1.4 built for Hadoop 3.4.1\n", 0o444),
}


def run(args, capsys, check_mode=False):
    return run_module(spark_build_context, args, capsys, check_mode)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def make_distribution(root, files=None):
    for path, (content, mode) in (files or FILES).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        target.chmod(mode)
    (root / "python" / "lib").mkdir(parents=True)
    (root / "python" / "lib" / "submit").symlink_to("../../bin/spark-submit")
    (root / "data" / "empty").mkdir(parents=True)
    return root


def make_tarball(path, members, top=TOP):
    """members: (name, content-or-None for a directory); `top` prefixes every name unless empty."""
    with tarfile.open(path, "w:gz") as archive:
        if top:
            archive.addfile(directory(top))
        for name, content in members:
            full = "%s/%s" % (top, name) if top else name
            if content is None:
                archive.addfile(directory(full))
            else:
                info = tarfile.TarInfo(full)
                info.size, info.mode = len(content), 0o755 if name.startswith("bin/") else 0o644
                archive.addfile(info, io.BytesIO(content))
    return path


def directory(name):
    info = tarfile.TarInfo(name)
    info.type, info.mode = tarfile.DIRTYPE, 0o755
    return info


def tar_members():
    return [(path, value[0]) for path, value in sorted(FILES.items())]


def tree(root):
    """Everything below root: path -> (type, size, mtime_ns, inode), to tell that nothing was written."""
    found = {}
    for folder, dirs, files in os.walk(str(root)):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, str(root))] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def context_files(context):
    return sorted(path for path, facts in tree(context).items() if facts[0] != stat.S_IFDIR and path != ".build-context.json")


@pytest.fixture
def lab(tmp_path):
    """A distribution directory, an Alluxio client jar and the module arguments that use them."""
    distribution = make_distribution(tmp_path / "spark")
    client = tmp_path / "downloads" / "alluxio-2.9.6-client.jar"
    client.parent.mkdir()
    client.write_bytes(b"alluxio client")
    args = {"distribution": str(distribution), "jars": [str(client)], "dest": str(tmp_path / "build" / "context")}
    return {"root": tmp_path, "distribution": distribution, "client": client, "dest": tmp_path / "build" / "context", "args": args}


@pytest.fixture
def hashing(monkeypatch):
    """Counts the files the module hashes, by path."""
    calls = []
    real = spark_build_context.file_sha256

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(spark_build_context, "file_sha256", counting)
    return calls


def test_directory_context(lab, capsys):
    result = run(lab["args"], capsys)
    dest, distribution = lab["dest"], lab["distribution"]
    assert result["changed"] is True
    assert (result["context"], result["dockerfile"]) == (str(dest), DOCKERFILE)
    assert (result["spark_version"], result["scala_version"]) == ("4.1.4", "2.13")
    assert result["jars"] == [{"name": "alluxio-2.9.6-client.jar", "sha256": sha256(b"alluxio client"), "size": 14}]
    assert result["files"] == 8  # 6 files, 1 symlink, the client jar
    assert context_files(dest) == sorted(list(FILES) + ["python/lib/submit", "jars/alluxio-2.9.6-client.jar"])
    for path, value in FILES.items():
        linked = os.stat(str(dest / path))
        assert linked.st_ino == os.stat(str(distribution / path)).st_ino  # a hard link, not a copy
        assert stat.S_IMODE(linked.st_mode) == value[1]
    assert os.stat(str(dest / "jars" / "alluxio-2.9.6-client.jar")).st_ino == os.stat(str(lab["client"])).st_ino
    assert os.readlink(str(dest / "python" / "lib" / "submit")) == "../../bin/spark-submit"
    assert (dest / "data" / "empty").is_dir()
    state = json.loads((dest / ".build-context.json").read_text())
    assert state["inputs_digest"] == result["inputs_digest"]
    assert state["files"][CORE][3] == sha256(b"core classes")
    assert sorted(os.listdir(str(lab["root"] / "build"))) == ["context"]  # no temporary directory left


def test_second_run_changes_nothing_and_hashes_nothing(lab, capsys, hashing):
    first = run(lab["args"], capsys)
    assert len(hashing) == 7  # the 6 distribution files and the jar
    before = tree(lab["root"])
    del hashing[:]
    second = run(lab["args"], capsys)
    assert (second["changed"], second["inputs_digest"]) == (False, first["inputs_digest"])
    assert hashing == []
    assert tree(lab["root"]) == before
    # a file whose stat changed is hashed again, and only that one
    core = lab["distribution"] / CORE
    os.utime(str(core), ns=(core.stat().st_atime_ns, core.stat().st_mtime_ns + 10 ** 9))
    third = run(lab["args"], capsys)
    assert hashing == [str(core)]
    assert third["inputs_digest"] == first["inputs_digest"]  # same content: same digest
    assert third["changed"] is False


def test_one_byte_of_a_jar_changes_the_digest(lab, capsys):
    first = run(lab["args"], capsys)
    core = lab["distribution"] / CORE
    mtime = core.stat().st_mtime_ns
    with open(str(core), "r+b") as handle:  # in place: the context's hard link sees it too
        handle.write(b"C")
    os.utime(str(core), ns=(mtime, mtime + 10 ** 9))  # a later write, whatever the clock's granularity
    second = run(lab["args"], capsys)
    assert second["changed"] is True
    assert second["inputs_digest"] != first["inputs_digest"]
    assert (lab["dest"] / CORE).read_bytes() == b"Core classes"


def test_a_changed_extra_jar_changes_the_digest(lab, capsys):
    first = run(lab["args"], capsys)
    replacement = lab["root"] / "new.jar"
    replacement.write_bytes(b"alluxio clienT")
    os.replace(str(replacement), str(lab["client"]))
    second = run(lab["args"], capsys)
    assert second["changed"] is True
    assert second["inputs_digest"] != first["inputs_digest"]
    assert second["jars"][0]["sha256"] == sha256(b"alluxio clienT")
    assert (lab["dest"] / "jars" / "alluxio-2.9.6-client.jar").read_bytes() == b"alluxio clienT"


def test_an_added_jar_changes_the_digest(lab, capsys):
    first = run(lab["args"], capsys)
    extra = lab["root"] / "downloads" / "hadoop-aws-3.4.1.jar"
    extra.write_bytes(b"aws")
    second = run(dict(lab["args"], jars=lab["args"]["jars"] + [str(extra)]), capsys)
    assert second["changed"] is True
    assert second["inputs_digest"] != first["inputs_digest"]
    assert [jar["name"] for jar in second["jars"]] == ["alluxio-2.9.6-client.jar", "hadoop-aws-3.4.1.jar"]
    assert second["files"] == first["files"] + 1
    assert (lab["dest"] / "jars" / "hadoop-aws-3.4.1.jar").read_bytes() == b"aws"
    # and taking it away again takes the jar out of the context
    third = run(lab["args"], capsys)
    assert (third["changed"], third["inputs_digest"]) == (True, first["inputs_digest"])
    assert not (lab["dest"] / "jars" / "hadoop-aws-3.4.1.jar").exists()


def test_extra_inputs_change_the_digest(lab, capsys):
    first = run(dict(lab["args"], extra_inputs={"base_image": "eclipse-temurin:21-jre"}), capsys)
    same = run(dict(lab["args"], extra_inputs={"base_image": "eclipse-temurin:21-jre"}), capsys)
    other = run(dict(lab["args"], extra_inputs={"base_image": "eclipse-temurin:17-jre"}), capsys)
    assert (same["changed"], same["inputs_digest"]) == (False, first["inputs_digest"])
    assert other["changed"] is True
    assert other["inputs_digest"] not in (first["inputs_digest"], run(lab["args"], capsys)["inputs_digest"])


def test_check_mode_writes_nothing_and_agrees_with_the_real_run(lab, capsys):
    before = tree(lab["root"])
    checked = run(lab["args"], capsys, check_mode=True)
    assert checked["changed"] is True
    assert tree(lab["root"]) == before
    assert not (lab["root"] / "build").exists()
    real = run(lab["args"], capsys)
    assert {key: value for key, value in checked.items() if key != "invocation"} == {key: value for key, value in real.items() if key != "invocation"}
    after = tree(lab["root"])
    assert run(lab["args"], capsys, check_mode=True)["changed"] is False
    changed = run(dict(lab["args"], extra_inputs={"tag": "x"}), capsys, check_mode=True)
    assert changed["changed"] is True
    assert tree(lab["root"]) == after


def test_a_missing_file_in_the_context_rebuilds_it(lab, capsys):
    first = run(lab["args"], capsys)
    (lab["dest"] / "bin" / "spark-submit").unlink()
    second = run(lab["args"], capsys)
    assert (second["changed"], second["inputs_digest"]) == (True, first["inputs_digest"])
    assert (lab["dest"] / "bin" / "spark-submit").read_bytes() == FILES["bin/spark-submit"][0]
    assert run(lab["args"], capsys)["changed"] is False


def test_a_clash_with_a_distribution_jar_names_both(lab, capsys):
    clashing = lab["root"] / "downloads" / "scala-library-2.13.16.jar"
    clashing.write_bytes(b"other scala")
    result = run(dict(lab["args"], jars=[str(clashing)]), capsys)
    assert result["failed"] is True
    assert result["msg"] == "jar %s clashes with %s, a different file of the same name in the distribution" % (
        clashing, lab["distribution"] / "jars" / "scala-library-2.13.16.jar")
    assert not lab["dest"].exists()


def test_an_identical_jar_is_no_clash(lab, capsys):
    same = lab["root"] / "downloads" / "scala-library-2.13.16.jar"
    same.write_bytes(b"scala")
    result = run(dict(lab["args"], jars=[str(same)]), capsys)
    assert result["changed"] is True
    assert result["jars"] == [{"name": "scala-library-2.13.16.jar", "sha256": sha256(b"scala"), "size": 5}]
    assert result["files"] == 7  # nothing added
    in_context, in_distribution = (os.stat(str(where / "jars" / "scala-library-2.13.16.jar")) for where in (lab["dest"], lab["distribution"]))
    assert in_context.st_ino == in_distribution.st_ino


def test_two_jars_of_one_name(lab, capsys):
    other = lab["root"] / "other" / "alluxio-2.9.6-client.jar"
    other.parent.mkdir()
    other.write_bytes(b"not the client")
    result = run(dict(lab["args"], jars=[str(lab["client"]), str(other)]), capsys)
    assert result["msg"] == "jars %s and %s have the same name and different contents" % (lab["client"], other)


def test_copies_when_hard_links_fail(lab, capsys, monkeypatch):
    def cross_device(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    first = run(lab["args"], capsys)
    core = os.stat(str(lab["dest"] / CORE))
    assert core.st_ino != os.stat(str(lab["distribution"] / CORE)).st_ino
    assert (lab["dest"] / CORE).read_bytes() == b"core classes"
    assert stat.S_IMODE(os.stat(str(lab["dest"] / "bin" / "spark-submit")).st_mode) == 0o755
    assert (lab["dest"] / "jars" / "alluxio-2.9.6-client.jar").read_bytes() == b"alluxio client"
    assert run(lab["args"], capsys)["changed"] is False  # the recorded stat is the distribution's, not the copy's
    assert run(lab["args"], capsys)["inputs_digest"] == first["inputs_digest"]


def test_a_failed_build_keeps_the_old_context(lab, capsys, monkeypatch):
    first = run(lab["args"], capsys)
    before = tree(lab["dest"])
    calls = []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        os.link(source, target)

    monkeypatch.setattr(spark_build_context, "link_or_copy", failing)
    result = run(dict(lab["args"], extra_inputs={"tag": "new"}), capsys)
    assert result["failed"] is True
    assert result["msg"] == "Cannot prepare the build context %s: [Errno 28] No space left on device" % lab["dest"]
    assert tree(lab["dest"]) == before
    assert sorted(os.listdir(str(lab["root"] / "build"))) == ["context"]
    assert json.loads((lab["dest"] / ".build-context.json").read_text())["inputs_digest"] == first["inputs_digest"]


def test_read_only_directories(lab, capsys):
    (lab["distribution"] / "data" / "empty").chmod(0o555)
    (lab["distribution"] / "kubernetes").chmod(0o555)
    try:
        first = run(lab["args"], capsys)
        assert stat.S_IMODE(os.stat(str(lab["dest"] / "kubernetes")).st_mode) == 0o555
        second = run(dict(lab["args"], extra_inputs={"tag": "2"}), capsys)  # the old context, read-only directories and all, goes
        assert (first["changed"], second["changed"]) == (True, True)
        assert sorted(os.listdir(str(lab["root"] / "build"))) == ["context"]
        assert stat.S_IMODE(os.stat(str(lab["distribution"] / "kubernetes")).st_mode) == 0o555
    finally:
        (lab["distribution"] / "kubernetes").chmod(0o755)  # or tmp_path's cleanup cannot remove it
        (lab["distribution"] / "data" / "empty").chmod(0o755)
        if (lab["dest"] / "kubernetes").exists():
            (lab["dest"] / "kubernetes").chmod(0o755)


def test_spark_2_4_names(tmp_path, capsys):
    files = {path: value for path, value in FILES.items() if path != CORE}
    files["jars/spark-core_2.11-2.4.6.jar"] = (b"old core", 0o644)
    distribution = make_distribution(tmp_path / "spark-2.4.6-bin-hadoop2.7", files)
    result = run({"distribution": str(distribution), "dest": str(tmp_path / "context")}, capsys)
    assert (result["spark_version"], result["scala_version"], result["jars"]) == ("2.4.6", "2.11", [])


@pytest.mark.parametrize("remove,message", [
    (CORE, "%s has no spark-core_<scala>-<version>.jar in jars/: is it a Spark distribution?"),
    (DOCKERFILE, "%s has no Dockerfile at kubernetes/dockerfiles/spark/Dockerfile"),
    ("jars", "%s has no jars/ directory: is it a Spark distribution?"),
])
def test_what_a_distribution_lacks(lab, capsys, remove, message):
    target = lab["distribution"] / remove
    if target.is_dir():
        for child in target.iterdir():
            child.unlink()
        target.rmdir()
    else:
        target.unlink()
    result = run(lab["args"], capsys)
    assert result["msg"] == message % lab["distribution"]
    assert not lab["dest"].exists()


@pytest.mark.parametrize("change,message", [
    ({"distribution": "{root}/nope"}, "distribution {root}/nope does not exist"),
    ({"dockerfile": "/Dockerfile"}, "dockerfile must be relative, got '/Dockerfile'"),
    ({"dockerfile": "../Dockerfile"}, "dockerfile must not contain '..', got '../Dockerfile'"),
    ({"jars": ["{root}/missing.jar"]}, "jar {root}/missing.jar does not exist"),
    ({"jars": ["{root}/downloads"]}, "jar {root}/downloads is not a regular file"),
    ({"dest": "{root}/spark/context"}, "dest {root}/spark/context and distribution {root}/spark must not contain one another"),
    ({"dest": "{root}/downloads"}, "dest {root}/downloads is a non-empty directory without .build-context.json: "
                                   "refusing to replace what this module did not make"),
    ({"dest": "{root}/downloads/alluxio-2.9.6-client.jar"}, "dest {root}/downloads/alluxio-2.9.6-client.jar exists and is not a directory"),
    ({"distribution": "{root}/downloads/alluxio-2.9.6-client.jar"},
     "distribution {root}/downloads/alluxio-2.9.6-client.jar is neither a directory nor a tar archive (file could not be opened successfully:"),
])
def test_bad_arguments(lab, capsys, change, message):
    args = dict(lab["args"])
    args.update({key: [item.format(root=lab["root"]) for item in value] if isinstance(value, list) else value.format(root=lab["root"])
                 for key, value in change.items()})
    before = tree(lab["root"])
    result = run(args, capsys)
    assert result["failed"] is True
    assert result["msg"].startswith(message.format(root=lab["root"]))
    assert tree(lab["root"]) == before


def test_an_empty_dest_directory_is_fine(lab, capsys):
    lab["dest"].mkdir(parents=True)
    assert run(lab["args"], capsys)["changed"] is True


# Tarballs


@pytest.fixture
def tarball(lab):
    lab["tarball"] = make_tarball(lab["root"] / "downloads" / ("%s.tgz" % TOP), tar_members())
    lab["args"] = dict(lab["args"], distribution=str(lab["tarball"]))
    return lab


def unpacked(lab):
    cache = lab["root"] / "build" / "context.unpacked"
    return sorted(os.listdir(str(cache))) if cache.exists() else []


def test_tarball_context(tarball, capsys, hashing):
    result = run(tarball["args"], capsys)
    tarball_sha = sha256(tarball["tarball"].read_bytes())
    assert result["changed"] is True
    assert (result["spark_version"], result["scala_version"], result["files"]) == ("4.1.4", "2.13", 7)
    assert context_files(tarball["dest"]) == sorted(list(FILES) + ["jars/alluxio-2.9.6-client.jar"])
    assert unpacked(tarball) == [tarball_sha[:16]]
    root = tarball["root"] / "build" / "context.unpacked" / tarball_sha[:16] / TOP
    assert os.stat(str(tarball["dest"] / CORE)).st_ino == os.stat(str(root / CORE)).st_ino
    assert stat.S_IMODE(os.stat(str(tarball["dest"] / "bin" / "spark-submit")).st_mode) == 0o755
    assert hashing == [str(tarball["tarball"]), str(tarball["client"])]  # the tarball whole, never its files
    del hashing[:]
    before = tree(tarball["root"])
    second = run(tarball["args"], capsys)
    assert (second["changed"], second["inputs_digest"], hashing) == (False, result["inputs_digest"], [])
    assert tree(tarball["root"]) == before


def test_tarball_check_mode_writes_nothing_and_agrees(tarball, capsys, monkeypatch):
    before = tree(tarball["root"])
    checked = run(tarball["args"], capsys, check_mode=True)
    assert checked["changed"] is True
    assert tree(tarball["root"]) == before
    real = run(tarball["args"], capsys)
    assert checked["inputs_digest"] == real["inputs_digest"]
    assert (checked["files"], checked["spark_version"]) == (real["files"], real["spark_version"])
    # with the unpack cache gone, check mode still knows from the state that nothing changed, without reading the archive
    monkeypatch.setattr(spark_build_context, "read_members", None)
    after = tree(tarball["root"])
    assert run(tarball["args"], capsys, check_mode=True)["changed"] is False
    assert tree(tarball["root"]) == after


def test_the_unpacked_tree_is_reused(tarball, capsys, monkeypatch):
    run(tarball["args"], capsys)
    monkeypatch.setattr(spark_build_context, "extract", None)  # would fail if called
    result = run(dict(tarball["args"], extra_inputs={"tag": "2"}), capsys)
    assert result["changed"] is True
    assert (tarball["dest"] / CORE).read_bytes() == b"core classes"


def test_a_flat_tarball_and_its_digest(tarball, capsys):
    flat = make_tarball(tarball["root"] / "flat.tar", tar_members(), top="")
    result = run(dict(tarball["args"], distribution=str(flat)), capsys)
    assert (result["changed"], result["spark_version"], result["files"]) == (True, "4.1.4", 7)
    assert context_files(tarball["dest"]) == sorted(list(FILES) + ["jars/alluxio-2.9.6-client.jar"])
    nested = run(tarball["args"], capsys)
    assert nested["inputs_digest"] != result["inputs_digest"]  # another tarball, another digest
    assert unpacked(tarball) == [sha256(tarball["tarball"].read_bytes())[:16]]  # the flat tree was pruned


def test_a_tarball_clash_names_the_member(tarball, capsys):
    clashing = tarball["root"] / "downloads" / "scala-library-2.13.16.jar"
    clashing.write_bytes(b"other scala")
    result = run(dict(tarball["args"], jars=[str(clashing)]), capsys, check_mode=True)
    assert result["msg"] == "jar %s clashes with %s:%s/jars/scala-library-2.13.16.jar, a different file of the same name in the distribution" % (
        clashing, tarball["tarball"], TOP)
    clashing.write_bytes(b"scala")
    assert run(dict(tarball["args"], jars=[str(clashing)]), capsys, check_mode=True)["files"] == 6


def malicious(path, member, content=b"evil"):
    with tarfile.open(str(path), "w") as archive:
        for name, data in tar_members():
            info = tarfile.TarInfo("%s/%s" % (TOP, name))
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if member.isreg():
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
        else:
            archive.addfile(member)
    return path


def special(name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


@pytest.mark.parametrize("member,message", [
    (tarfile.TarInfo("../evil"), "member '../evil' has a '..' component"),
    (tarfile.TarInfo(TOP + "/../../evil"), "member '%s/../../evil' has a '..' component" % TOP),
    (tarfile.TarInfo("/tmp/evil"), "member '/tmp/evil' has an absolute name"),
    (special(TOP + "/jars/escape", tarfile.SYMTYPE, "../../../evil"),
     "member '%s/jars/escape' is a symlink to '../../../evil', which leaves the archive root" % TOP),
    (special(TOP + "/passwd", tarfile.SYMTYPE, "/etc/passwd"), "member '%s/passwd' is a symlink to the absolute path '/etc/passwd'" % TOP),
    (special(TOP + "/shadow", tarfile.LNKTYPE, "/etc/shadow"), "member '%s/shadow' is a hard link to '/etc/shadow', which leaves the archive root" % TOP),
    (special(TOP + "/pipe", tarfile.FIFOTYPE), "member '%s/pipe' is a fifo: only files, directories and links are unpacked" % TOP),
    (special(TOP + "/null", tarfile.CHRTYPE), "member '%s/null' is a character device: only files, directories and links are unpacked" % TOP),
])
def test_malicious_tarballs_are_refused(lab, capsys, member, message):
    evil = malicious(lab["root"] / "downloads" / "evil.tar", member)
    before = tree(lab["root"])
    for check_mode in (True, False):
        result = run(dict(lab["args"], distribution=str(evil)), capsys, check_mode=check_mode)
        assert result["failed"] is True
        assert result["msg"] == "unsafe tarball %s: %s" % (evil, message)
    assert tree(lab["root"]) == before  # nothing unpacked, no context, no cache


def test_return_is_documented(lab, capsys):
    documented = yaml.safe_load(spark_build_context.RETURN)
    result = run(lab["args"], capsys)
    assert set(result) - {"changed", "invocation"} == set(documented)
    assert set(result["jars"][0]) == set(documented["jars"]["contains"])
    options = yaml.safe_load(spark_build_context.DOCUMENTATION)["options"]
    assert sorted(options) == sorted(result["invocation"]["module_args"])
