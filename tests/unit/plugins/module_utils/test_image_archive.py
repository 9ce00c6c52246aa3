# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure helpers of image_archive_subset: chain IDs (checked against Docker 20.10's own layer store), what to
leave out, and the manifest.json / OCI documents."""

import json
import os
import tarfile

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._image_archive import (
    ImageArchiveError,
    chain_ids,
    check_ref,
    config_platform,
    docker_layers_to_skip,
    docker_manifest,
    known_chain_ids,
    normalize_digest,
    normalize_member,
    oci_index,
    oci_layers_to_send,
    oci_manifest,
    parse_config,
    parse_docker_manifest,
    ref_tag,
    sha256_digest,
)

ARCHIVES = os.path.join(os.path.dirname(__file__), "fixtures", "image-archives")
with open(os.path.join(ARCHIVES, "engine-facts.json")) as _facts:
    FACTS = json.load(_facts)
BASE = FACTS["images"]["lab/base:1"]
APP = FACTS["images"]["lab/app:1"]
L1, L2, L3 = APP["diff_ids"]
OTHER = "sha256:" + "ab" * 32


def test_real_images_share_their_two_bottom_layers():
    assert BASE["diff_ids"] == [L1, L2]
    assert len({L1, L2, L3}) == 3


@pytest.mark.parametrize("image", ["lab/base:1", "lab/app:1"])
def test_chain_ids_are_docker_20_10s(image):
    # docker_chain_ids: the directory names of Docker's layerdb, ordered by their parent files
    facts = FACTS["images"][image]
    assert chain_ids(facts["diff_ids"]) == facts["docker_chain_ids"]


def test_chain_ids_are_containerd_1_6s_snapshot_keys():
    # containerd names a committed layer snapshot by the layer's chain ID
    assert sorted(chain_ids(APP["diff_ids"])) == FACTS["containerd_snapshots"]


def test_chain_id_formula():
    assert chain_ids([]) == []
    assert chain_ids([L1]) == [L1]
    assert chain_ids([L1, L2])[1] == sha256_digest(("%s %s" % (L1, L2)).encode())
    assert chain_ids([L1, L2])[1] == "sha256:e20fa023f6309ee214a654bd41d1091fe69178d4faad63f67e7b90613b533958"


@pytest.mark.parametrize(("present", "skip"), [
    ([], 0),
    ([BASE["diff_ids"]], 2),
    ([APP["diff_ids"]], 3),
    ([[L1]], 1),
    ([[L1, OTHER]], 1),  # the node has L1 only: its L2 sits on another layer
    ([[L2]], 0),  # L2 without L1 below it is another chain
    ([[L2, L1]], 0),
    ([[OTHER], [L1, L2, OTHER]], 2),
    ([[OTHER], [L1], [L1, L2]], 2),
    ([[L1, L2, L3, OTHER]], 3),  # an image built on top of this one holds all of it
])
def test_docker_layers_to_skip(present, skip):
    assert docker_layers_to_skip(APP["diff_ids"], present) == skip


def test_known_chain_ids_accepts_bare_and_upper_case_hex():
    assert known_chain_ids([[L1.split(":")[1].upper(), L2]]) == set(chain_ids([L1, L2]))


@pytest.mark.parametrize("present", [["sha256:abc"], [L1], [[1]], [[None]]], ids=["str", "flat", "int", "none"])
def test_known_chain_ids_rejects_what_is_no_chain(present):
    with pytest.raises(ImageArchiveError):
        known_chain_ids(present)


def test_oci_layers_to_send_is_per_blob_not_a_prefix():
    assert oci_layers_to_send([L1, L2, L3], []) == [True, True, True]
    assert oci_layers_to_send([L1, L2, L3], [L2]) == [True, False, True]
    assert oci_layers_to_send([L1, L2, L3], FACTS["containerd_present_blobs_after_base"]) == [False, False, True]
    assert oci_layers_to_send([L1, L2, L3], [L3.upper().replace("SHA256:", "sha256:"), OTHER]) == [True, True, False]


@pytest.mark.parametrize("value", ["sha256:12", "md5:" + "a" * 64, "", "sha256:" + "g" * 64, 7])
def test_normalize_digest_rejects(value):
    with pytest.raises(ImageArchiveError, match="digest"):
        normalize_digest(value)


def test_normalize_digest():
    assert normalize_digest(" SHA256:" + "AB" * 32 + "\n") == "sha256:" + "ab" * 32
    assert normalize_digest("cd" * 32) == "sha256:" + "cd" * 32


@pytest.mark.parametrize(("ref", "tag"), [
    ("docker.io/lab/spark:4.1.4", "4.1.4"),
    ("lab/spark", "latest"),
    ("localhost:5000/lab/spark", "latest"),
    ("localhost:5000/lab/spark:v2", "v2"),
    ("lab/spark:1@sha256:" + "a" * 64, "1"),
    ("lab/spark@sha256:" + "a" * 64, "latest"),
])
def test_ref_tag(ref, tag):
    assert ref_tag(ref) == tag


@pytest.mark.parametrize("ref", ["", "lab/spark:", "lab spark:1"])
def test_check_ref_rejects(ref):
    with pytest.raises(ImageArchiveError, match="ref"):
        check_ref(ref)


@pytest.mark.parametrize(("path", "clean"), [("./a/layer.tar", "a/layer.tar"), ("a/../b.json", "b.json"), ("blobs/sha256/x/", "blobs/sha256/x")])
def test_normalize_member(path, clean):
    assert normalize_member(path) == clean


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "."])
def test_normalize_member_rejects_paths_outside(path):
    with pytest.raises(ImageArchiveError, match="outside"):
        normalize_member(path)


def real_manifest(name):
    with tarfile.open(os.path.join(ARCHIVES, name)) as tar:
        return tar.extractfile("manifest.json").read()


def test_parse_docker_manifest_of_a_real_docker_20_10_save():
    entry, config, layers = parse_docker_manifest(real_manifest("app_docker-20.10.24.tar"))
    assert config == APP["id"].split(":")[1] + ".json"
    assert entry["RepoTags"] == ["lab/app:1"]
    assert len(layers) == 3
    assert all(path.endswith("/layer.tar") for path in layers)


def test_parse_docker_manifest_refuses_two_images():
    with pytest.raises(ImageArchiveError, match="holds 2 images; only single-image archives"):
        parse_docker_manifest(real_manifest("base-and-app_docker-20.10.24.tar"))


@pytest.mark.parametrize(("data", "message"), [
    (b"{", "not JSON"),
    (b"{}", "not a list"),
    (b"[]", "holds 0 images"),
    (b'[{"Layers": []}]', "lacks Config"),
    (b'[{"Config": "c.json", "Layers": [1]}]', "not all paths"),
    (b'[{"Config": "../c.json", "Layers": []}]', "outside"),
])
def test_parse_docker_manifest_errors(data, message):
    with pytest.raises(ImageArchiveError, match=message):
        parse_docker_manifest(data)


def test_parse_config():
    config, diff_ids = parse_config(json.dumps({"os": "linux", "rootfs": {"type": "layers", "diff_ids": [L1, L2]}}), 2)
    assert diff_ids == [L1, L2]
    assert config["os"] == "linux"
    with pytest.raises(ImageArchiveError, match="lists 3 layers but the config's rootfs.diff_ids has 2"):
        parse_config(json.dumps({"rootfs": {"diff_ids": [L1, L2]}}), 3)
    with pytest.raises(ImageArchiveError, match="no rootfs.diff_ids"):
        parse_config("{}", 0)
    with pytest.raises(ImageArchiveError, match="not JSON"):
        parse_config("[", 0)


def test_docker_manifest_keeps_every_layer_and_sets_repo_tags():
    entry = {"Config": "c.json", "RepoTags": ["lab/app:1"], "Layers": ["a/layer.tar", "b/layer.tar"]}
    assert json.loads(docker_manifest(entry)) == [entry]
    assert json.loads(docker_manifest(entry, "docker.io/lab/app:2")) == [dict(entry, RepoTags=["docker.io/lab/app:2"])]
    assert entry["RepoTags"] == ["lab/app:1"]  # not changed in place


def test_oci_manifest_bytes():
    manifest = oci_manifest(APP["id"], 1907, [(L1, 10240), (L2, 3072)])
    assert manifest == (
        b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
        b'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"' + APP["id"].encode() + b'","size":1907},'
        b'"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"' + L1.encode() + b'","size":10240},'
        b'{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"' + L2.encode() + b'","size":3072}]}'
    )
    assert oci_manifest(APP["id"], 1907, [(L1, 10240), (L2, 3072)]) == manifest


def test_oci_index():
    index = json.loads(oci_index("sha256:" + "1" * 64, 699, "docker.io/lab/spark:4.1.4", {"architecture": "amd64", "os": "linux"}))
    assert index == {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + "1" * 64, "size": 699,
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"io.containerd.image.name": "docker.io/lab/spark:4.1.4", "org.opencontainers.image.ref.name": "4.1.4"},
        }],
    }
    assert "platform" not in json.loads(oci_index("sha256:" + "1" * 64, 1, "lab/x:1"))["manifests"][0]


def test_config_platform():
    assert config_platform({"os": "linux", "architecture": "arm64", "variant": "v8"}) == {"architecture": "arm64", "os": "linux", "variant": "v8"}
    assert config_platform({"os": "linux", "architecture": "amd64", "variant": ""}) == {"architecture": "amd64", "os": "linux"}
    assert config_platform({"architecture": "amd64"}) is None
