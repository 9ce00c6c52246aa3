# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure helpers of spark_build_context: spark-core names, tar member safety, the distribution root, the digest."""

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_distribution import (
    DistributionError,
    UnsafeArchiveError,
    check_distribution,
    check_members,
    compose_digest,
    distribution_root,
    find_spark_core,
    parse_spark_core_jar,
    relative_path,
    resolve_in_archive,
    under_root,
)


def member(name, kind="file", linkname="", mode=0o644, size=1):
    return {"name": name, "type": kind, "linkname": linkname, "mode": mode, "size": size}


@pytest.mark.parametrize("name,expected", [
    ("spark-core_2.13-4.1.4.jar", {"spark_version": "4.1.4", "scala_version": "2.13"}),
    ("spark-core_2.11-2.4.6.jar", {"spark_version": "2.4.6", "scala_version": "2.11"}),
    ("spark-core_2.12-3.5.0-SNAPSHOT.jar", {"spark_version": "3.5.0-SNAPSHOT", "scala_version": "2.12"}),
    ("spark-core_2.13-4.0.0-preview2.jar", {"spark_version": "4.0.0-preview2", "scala_version": "2.13"}),
    ("spark-core_2.13-4.1.4-tests.jar", None),
    ("spark-core_2.13-4.1.4-sources.jar", None),
    ("spark-core_2.13-4.1.4-test-sources.jar", None),
    ("spark-corex_2.13-4.1.4.jar", None),
    ("spark-sql_2.13-4.1.4.jar", None),
    ("spark-core_2.13-4.1.4.jar.bak", None),
    ("spark-core-4.1.4.jar", None),
])
def test_parse_spark_core_jar(name, expected):
    assert parse_spark_core_jar(name) == expected


def test_find_spark_core():
    names = ["scala-library-2.13.16.jar", "spark-core_2.13-4.1.4.jar", "spark-sql_2.13-4.1.4.jar"]
    assert find_spark_core(names, "/d") == {"spark_version": "4.1.4", "scala_version": "2.13", "jar": "spark-core_2.13-4.1.4.jar"}
    with pytest.raises(DistributionError, match=r"^/d has no spark-core_<scala>-<version>\.jar in jars/"):
        find_spark_core(["spark-sql_2.13-4.1.4.jar"], "/d")
    with pytest.raises(DistributionError, match=r"several spark-core jars in jars/: spark-core_2.12-3.5.0.jar, spark-core_2.13-3.5.0.jar$"):
        find_spark_core(["spark-core_2.13-3.5.0.jar", "spark-core_2.12-3.5.0.jar"], "/d")


@pytest.mark.parametrize("path,expected", [
    ("kubernetes/dockerfiles/spark/Dockerfile", "kubernetes/dockerfiles/spark/Dockerfile"),
    ("./docker//Dockerfile", "docker/Dockerfile"),
])
def test_relative_path(path, expected):
    assert relative_path(path, "dockerfile") == expected


@pytest.mark.parametrize("path,message", [
    ("/etc/Dockerfile", "dockerfile must be relative, got '/etc/Dockerfile'"),
    ("a/../../Dockerfile", "dockerfile must not contain '..', got 'a/../../Dockerfile'"),
    ("./", "dockerfile is empty: './'"),
])
def test_relative_path_refuses(path, message):
    with pytest.raises(DistributionError) as caught:
        relative_path(path, "dockerfile")
    assert str(caught.value) == message


def test_check_members_lists_a_safe_archive():
    entries = check_members([
        member("./", "dir", mode=0o755),
        member("./spark/", "dir", mode=0o755),
        member("./spark/jars/a.jar", size=3),
        member("spark/bin/run", mode=0o4755),
        member("spark/bin/again", "hardlink", linkname="./spark/jars/a.jar"),
        member("spark/python/lib/link", "symlink", linkname="../../jars/a.jar", mode=0o777),
        member("spark/self", "symlink", linkname=".", mode=0o777),
        member("spark/", "dir", mode=0o755),  # a directory listed twice says the same thing twice
    ])
    assert [entry["path"] for entry in entries] == [
        "spark", "spark/jars/a.jar", "spark/bin/run", "spark/bin/again", "spark/python/lib/link", "spark/self", "spark"]
    assert entries[1] == {"path": "spark/jars/a.jar", "type": "file", "mode": 0o644, "size": 3, "target": None}
    assert entries[3]["target"] == "spark/jars/a.jar"
    assert entries[4]["target"] == "../../jars/a.jar"


@pytest.mark.parametrize("records,message", [
    ([member("../evil")], "member '../evil' has a '..' component"),
    ([member("spark/../../evil")], "member 'spark/../../evil' has a '..' component"),
    ([member("/etc/cron.d/evil")], "member '/etc/cron.d/evil' has an absolute name"),
    ([member("spark/dev", "character device")], "member 'spark/dev' is a character device: only files, directories and links are unpacked"),
    ([member("spark/pipe", "fifo")], "member 'spark/pipe' is a fifo: only files, directories and links are unpacked"),
    ([member("spark/link", "symlink", "/etc/passwd")], "member 'spark/link' is a symlink to the absolute path '/etc/passwd'"),
    ([member("spark/link", "symlink", "../../outside")], "member 'spark/link' is a symlink to '../../outside', which leaves the archive root"),
    ([member("loop", "symlink", "loop")], "member 'loop' is a symlink to 'loop', which leaves the archive root"),
    ([member("spark/h", "hardlink", "../etc/passwd")], "member 'spark/h' is a hard link to '../etc/passwd', which leaves the archive root"),
    ([member("spark/h", "hardlink", "/etc/passwd")], "member 'spark/h' is a hard link to '/etc/passwd', which leaves the archive root"),
    ([member("spark/h", "hardlink", "spark/not-there")],
     "member 'spark/h' is a hard link to 'spark/not-there', which is no earlier file of the archive"),
    ([member("spark/f"), member("spark/f")], "member 'spark/f' appears more than once in the archive"),
    ([member("spark/f"), member("spark/f", "symlink", "g")], "member 'spark/f' appears more than once in the archive"),
    # each link looks harmless; together x leads out: a -> b/c -> b/.. = the root, then x -> a/.. = above it
    ([member("b/c", "symlink", ".."), member("a", "symlink", "b/c"), member("x", "symlink", "a/..")],
     "member 'x' is a symlink to 'a/..', which leaves the archive root"),
    # a file written through a symlink that leads out, listed before the link itself
    ([member("up/evil"), member("up", "symlink", "..")], "member 'up/evil' lies behind a symlink that leaves the archive root"),
    # a hard link names an archive path, never a path through the archive's symlinks
    ([member("f"), member("up", "symlink", "."), member("h", "hardlink", "up/f")],
     "member 'h' is a hard link to 'up/f', which is no earlier file of the archive"),
])
def test_check_members_refuses(records, message):
    with pytest.raises(UnsafeArchiveError) as caught:
        check_members(records)
    assert str(caught.value) == message


def test_resolve_in_archive():
    links = {"b/c": "..", "a": "b/c", "d": "/abs", "e": "sub/../f"}
    assert resolve_in_archive("a", links) == ""
    assert resolve_in_archive("a/x/y", links) == "x/y"
    assert resolve_in_archive("a/..", links) is None
    assert resolve_in_archive("d/x", links) is None
    assert resolve_in_archive("e", links) == "f"
    assert resolve_in_archive("", links) == ""


@pytest.mark.parametrize("paths,root", [
    (["spark-4.1.4-bin-hadoop3", "spark-4.1.4-bin-hadoop3/jars/a.jar", "spark-4.1.4-bin-hadoop3/bin/x"], "spark-4.1.4-bin-hadoop3"),
    (["spark/jars/a.jar"], "spark"),
    (["jars/a.jar", "bin/x"], ""),
    (["jars", "jars/a.jar"], ""),  # a flat archive whose only top-level name is jars
    (["a/x", "b/y"], ""),
    (["single-file"], ""),
    ([], ""),
])
def test_distribution_root(paths, root):
    assert distribution_root(paths) == root


def test_under_root_moves_paths_and_hardlink_targets():
    entries = check_members([member("s/jars/a.jar"), member("s/jars/b.jar", "hardlink", "s/jars/a.jar"), member("s/l", "symlink", "jars")])
    assert under_root(entries, "s") == [
        {"path": "jars/a.jar", "type": "file", "mode": 0o644, "size": 1, "target": None},
        {"path": "jars/b.jar", "type": "hardlink", "mode": 0o644, "size": 1, "target": "jars/a.jar"},
        {"path": "l", "type": "symlink", "mode": 0o644, "size": 1, "target": "jars"},
    ]
    assert under_root(entries, "") == entries


ENTRIES = [
    {"path": "jars", "type": "dir", "mode": 0o755},
    {"path": "jars/spark-core_2.13-4.1.4.jar", "type": "file", "mode": 0o644, "sha256": "aa"},
    {"path": "bin/link", "type": "symlink", "mode": 0o777, "target": "../jars"},
]
JARS = [("alluxio-client.jar", "cc"), ("b.jar", "dd")]
DOCKERFILE = "kubernetes/dockerfiles/spark/Dockerfile"


def digest(**changes):
    arguments = dict(tarball_sha256=None, entries=ENTRIES, jars=JARS, dockerfile=DOCKERFILE, extra_inputs={"base": "temurin", "tag": "21"})
    arguments.update(changes)
    return compose_digest(**arguments)


def test_digest_is_stable_and_ignores_order():
    reference = digest()
    assert len(reference) == 64 and int(reference, 16) >= 0
    assert digest(entries=list(reversed(ENTRIES)), jars=list(reversed(JARS)), extra_inputs={"tag": "21", "base": "temurin"}) == reference
    assert digest(entries=[dict(entry, size=123, stat=[1, 2, 3]) for entry in ENTRIES]) == reference  # only path, type, mode, content count


@pytest.mark.parametrize("changes", [
    {"entries": [ENTRIES[0], dict(ENTRIES[1], sha256="ab"), ENTRIES[2]]},
    {"entries": [ENTRIES[0], dict(ENTRIES[1], mode=0o755), ENTRIES[2]]},
    {"entries": [ENTRIES[0], ENTRIES[1], dict(ENTRIES[2], target="../bin")]},
    {"entries": ENTRIES[:2]},
    {"jars": JARS[:1]},
    {"jars": [("alluxio-client.jar", "ce"), ("b.jar", "dd")]},
    {"jars": [("alluxio.jar", "cc"), ("b.jar", "dd")]},
    {"dockerfile": "Dockerfile"},
    {"extra_inputs": {"base": "temurin", "tag": "17"}},
    {"extra_inputs": {"base": "temurin"}},
    {"extra_inputs": {"base": "temurin", "tag": 21}},
    {"tarball_sha256": "ff" * 32},
])
def test_digest_changes_with_every_input(changes):
    assert digest(**changes) != digest()


def test_digest_cannot_be_forged_by_moving_text_between_fields():
    assert digest(extra_inputs={"a": "b\nc"}) != digest(extra_inputs={"a": "b", "c": ""})
    assert digest(jars=[("a", "b")]) != digest(jars=[("a b", "")])


LISTING = [
    {"path": "jars", "type": "dir", "mode": 0o755},
    {"path": "jars/spark-core_2.11-2.4.6.jar", "type": "file", "mode": 0o644},
    {"path": DOCKERFILE, "type": "file", "mode": 0o644},
]


def test_check_distribution():
    assert check_distribution(LISTING, DOCKERFILE, "/d") == {"spark_version": "2.4.6", "scala_version": "2.11", "jar": "spark-core_2.11-2.4.6.jar"}
    # a tarball may list no directory entries, and its core jar may be a hard link
    flat = [{"path": "jars/spark-core_2.13-4.1.4.jar", "type": "hardlink", "mode": 0o644, "target": "x"}, LISTING[2]]
    assert check_distribution(flat, DOCKERFILE, "/t")["spark_version"] == "4.1.4"


@pytest.mark.parametrize("listing,dockerfile,message", [
    (LISTING[2:], DOCKERFILE, "/d has no jars/ directory: is it a Spark distribution?"),
    ([LISTING[0], LISTING[2]], DOCKERFILE, "/d has no spark-core_<scala>-<version>.jar in jars/: is it a Spark distribution?"),
    ([LISTING[0], dict(LISTING[1], type="symlink", target="x"), LISTING[2]], DOCKERFILE,
     "/d has no spark-core_<scala>-<version>.jar in jars/: is it a Spark distribution?"),
    (LISTING, "Dockerfile", "/d has no Dockerfile at Dockerfile"),
    (LISTING[:2] + [{"path": DOCKERFILE, "type": "dir", "mode": 0o755}], DOCKERFILE,
     "/d: the Dockerfile kubernetes/dockerfiles/spark/Dockerfile is a dir, not a regular file"),
    (LISTING + [{"path": ".build-context.json", "type": "file", "mode": 0o644}], DOCKERFILE,
     "/d has a file named .build-context.json, the name this module keeps its state in"),
])
def test_check_distribution_refuses(listing, dockerfile, message):
    with pytest.raises(DistributionError) as caught:
        check_distribution(listing, dockerfile, "/d")
    assert str(caught.value) == message
