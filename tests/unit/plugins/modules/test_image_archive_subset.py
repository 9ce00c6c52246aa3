# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""image_archive_subset on real Docker 20.10 archives (fixtures/image-archives, whose engine-facts.json records what
Docker and containerd reported when the cuts were loaded) and on Docker 25-layout and broken archives made here."""

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile

import pytest

from ansible_collections.dataplane.alluxio_spark.plugins.modules import image_archive_subset
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.modules.module_run import run_module

ARCHIVES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "image-archives")
APP_TAR = os.path.join(ARCHIVES, "app_docker-20.10.24.tar")
BASE_TAR = os.path.join(ARCHIVES, "base_docker-20.10.24.tar")
TWO_TAR = os.path.join(ARCHIVES, "base-and-app_docker-20.10.24.tar")
with open(os.path.join(ARCHIVES, "engine-facts.json")) as _facts:
    FACTS = json.load(_facts)
APP = FACTS["images"]["lab/app:1"]
BASE = FACTS["images"]["lab/base:1"]
CTR = FACTS["containerd_k8s_io"]


def run(args, capsys, check_mode=False):
    return run_module(image_archive_subset, args, capsys, check_mode)


def members(path):
    """{name: bytes} of a tar's files."""
    with tarfile.open(path) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()}


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def source_manifest(path):
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("manifest.json").read())[0]


# Real archives ----------------------------------------------------------------------------------------------

def test_docker_archive_for_a_node_with_the_base(capsys, tmp_path):
    dest = tmp_path / "app.tar"
    result = run({"src": APP_TAR, "dest": str(dest), "format": "docker-archive", "ref": "docker.io/lab/app:cut",
                  "present_chains": [BASE["diff_ids"]]}, capsys)
    assert (result["changed"], result["format"], result["dest"]) == (True, "docker-archive", str(dest))
    assert (result["layers_total"], result["layers_sent"], result["layers_skipped"]) == (3, 1, 2)
    assert result["image_id"] == APP["id"] == FACTS["docker_load_cut_with_base_image_id"]
    assert result["diff_ids"] == APP["diff_ids"]
    assert result["bytes"] == os.path.getsize(dest) == 10240
    source = source_manifest(APP_TAR)
    files = members(dest)
    # the two base layers' tars are absent; manifest.json still names all three
    assert sorted(files) == sorted([source["Config"], source["Layers"][2], "manifest.json"])
    assert json.loads(files["manifest.json"]) == [dict(source, RepoTags=["docker.io/lab/app:cut"])]
    assert digest(files[source["Layers"][2]]) == APP["diff_ids"][2]
    assert digest(files[source["Config"]]) == APP["id"]


def test_docker_archive_in_full_keeps_repo_tags(capsys, tmp_path):
    dest = tmp_path / "app.tar"
    result = run({"src": APP_TAR, "dest": str(dest), "format": "docker-archive"}, capsys)
    assert (result["layers_sent"], result["layers_skipped"]) == (3, 0)
    source = source_manifest(APP_TAR)
    files = members(dest)
    assert json.loads(files["manifest.json"]) == [source]
    assert [digest(files[path]) for path in source["Layers"]] == APP["diff_ids"]
    assert "repositories" not in files


def test_docker_archive_for_a_node_that_has_the_image(capsys, tmp_path):
    result = run({"src": APP_TAR, "dest": str(tmp_path / "a.tar"), "format": "docker-archive",
                  "present_chains": [["sha256:" + "0" * 64], APP["diff_ids"] + ["sha256:" + "1" * 64]]}, capsys)
    assert (result["layers_sent"], result["layers_skipped"]) == (0, 3)
    assert sorted(members(tmp_path / "a.tar")) == sorted([source_manifest(APP_TAR)["Config"], "manifest.json"])


def test_oci_in_full_is_what_containerd_imported(capsys, tmp_path):
    dest = tmp_path / "app.oci.tar"
    result = run({"src": APP_TAR, "dest": str(dest), "format": "oci", "ref": "docker.io/lab/app:1"}, capsys)
    assert (result["layers_total"], result["layers_sent"], result["layers_skipped"]) == (3, 3, 0)
    files = members(dest)
    index = json.loads(files["index.json"])
    (descriptor,) = index["manifests"]
    # containerd 1.6 reported this manifest digest and this config digest (= Docker's image ID) after the import
    assert descriptor["digest"] == CTR["docker.io/lab/app:1"]["manifest"]
    assert descriptor["annotations"] == {"io.containerd.image.name": "docker.io/lab/app:1", "org.opencontainers.image.ref.name": "1"}
    assert descriptor["platform"] == {"architecture": "amd64", "os": "linux"}
    manifest_bytes = files["blobs/sha256/" + descriptor["digest"].split(":")[1]]
    assert digest(manifest_bytes) == descriptor["digest"]
    assert descriptor["size"] == len(manifest_bytes)
    manifest = json.loads(manifest_bytes)
    assert manifest["config"]["digest"] == CTR["docker.io/lab/app:1"]["config"] == APP["id"] == result["image_id"]
    assert [layer["digest"] for layer in manifest["layers"]] == APP["diff_ids"]
    assert {layer["mediaType"] for layer in manifest["layers"]} == {"application/vnd.oci.image.layer.v1.tar"}
    assert sorted(files) == sorted(["oci-layout", "index.json"] + ["blobs/sha256/" + d.split(":")[1] for d in
                                                                   [descriptor["digest"], APP["id"]] + APP["diff_ids"]])
    for layer in manifest["layers"]:
        blob = files["blobs/sha256/" + layer["digest"].split(":")[1]]
        assert (digest(blob), len(blob)) == (layer["digest"], layer["size"])
    assert json.loads(files["oci-layout"]) == {"imageLayoutVersion": "1.0.0"}


def test_oci_base_manifest_digest_is_containerds(capsys, tmp_path):
    run({"src": BASE_TAR, "dest": str(tmp_path / "b.tar"), "format": "oci", "ref": "docker.io/lab/base:1"}, capsys)
    (descriptor,) = json.loads(members(tmp_path / "b.tar")["index.json"])["manifests"]
    assert descriptor["digest"] == CTR["docker.io/lab/base:1"]["manifest"]


def test_oci_without_what_containerd_had_after_the_base(capsys, tmp_path):
    dest = tmp_path / "app.oci.tar"
    result = run({"src": APP_TAR, "dest": str(dest), "format": "oci", "ref": "docker.io/lab/app:1",
                  "present_blobs": FACTS["containerd_present_blobs_after_base"]}, capsys)
    assert (result["layers_sent"], result["layers_skipped"]) == (1, 2)
    files = members(dest)
    blobs = {name for name in files if name.startswith("blobs/")}
    top, manifest = APP["diff_ids"][2], CTR["docker.io/lab/app:1"]["manifest"]
    # the same manifest as in full, the config always; of the layers only the top one
    assert blobs == {"blobs/sha256/" + d.split(":")[1] for d in (manifest, APP["id"], top)}
    assert json.loads(files["index.json"])["manifests"][0]["digest"] == manifest


def test_the_same_input_gives_the_same_bytes(capsys, tmp_path):
    for fmt in ("oci", "docker-archive"):
        outputs = []
        for n in range(2):
            dest = tmp_path / ("%s-%d.tar" % (fmt, n))
            run({"src": APP_TAR, "dest": str(dest), "format": fmt, "ref": "docker.io/lab/app:1"}, capsys)
            outputs.append(dest.read_bytes())
        assert outputs[0] == outputs[1]


def test_check_mode_writes_nothing(capsys, tmp_path):
    dest = tmp_path / "app.tar"
    result = run({"src": APP_TAR, "dest": str(dest), "format": "oci", "ref": "docker.io/lab/app:1",
                  "present_blobs": FACTS["containerd_present_blobs_after_base"]}, capsys, check_mode=True)
    assert (result["changed"], result["bytes"], result["image_id"]) == (True, None, APP["id"])
    assert (result["layers_total"], result["layers_sent"], result["layers_skipped"]) == (3, 1, 2)
    assert os.listdir(tmp_path) == []


def test_dest_is_replaced_whole(capsys, tmp_path):
    dest = tmp_path / "app.tar"
    dest.write_bytes(b"old")
    run({"src": APP_TAR, "dest": str(dest), "format": "docker-archive", "present_chains": [BASE["diff_ids"]]}, capsys)
    assert dest.stat().st_size == 10240
    assert os.listdir(tmp_path) == ["app.tar"]  # no temporary file left


def test_repeated_layer_saved_as_a_symlink_by_docker_20_10(capsys, tmp_path):
    # Docker 20.10 saved the layer lab/base:1 and lab/app:1 share once, the second time as a symlink
    # "<id>/layer.tar -> ../<other id>/layer.tar": keep lab/app:1's entry of that real two-image archive.
    src = tmp_path / "app-with-symlink.tar"
    with tarfile.open(TWO_TAR) as tar, tarfile.open(src, "w") as out:
        entries = json.loads(tar.extractfile("manifest.json").read())
        (app_entry,) = [entry for entry in entries if entry["RepoTags"] == ["lab/app:1"]]
        links = [member for member in tar.getmembers() if member.issym()]
        assert [link.name for link in links] == [app_entry["Layers"][1]]
        for member in tar.getmembers():
            if member.name != "manifest.json":
                out.addfile(member, tar.extractfile(member) if member.isfile() else None)
        add(out, "manifest.json", json.dumps([app_entry]).encode())
    result = run({"src": str(src), "dest": str(tmp_path / "out.tar"), "format": "docker-archive",
                  "present_chains": [[APP["diff_ids"][0]]]}, capsys)
    assert (result["image_id"], result["layers_sent"]) == (APP["id"], 2)
    files = members(tmp_path / "out.tar")
    assert digest(files[app_entry["Layers"][1]]) == APP["diff_ids"][1]  # a regular file now


def test_gzipped_archive(capsys, tmp_path):
    src = tmp_path / "app.tar.gz"
    with open(APP_TAR, "rb") as raw, gzip.open(src, "wb") as packed:
        shutil.copyfileobj(raw, packed)
    result = run({"src": str(src), "dest": str(tmp_path / "out.tar"), "format": "docker-archive",
                  "present_chains": [BASE["diff_ids"]]}, capsys)
    assert (result["image_id"], result["layers_sent"]) == (APP["id"], 1)


def test_two_images_are_refused(capsys, tmp_path):
    result = run({"src": TWO_TAR, "dest": str(tmp_path / "o.tar"), "format": "docker-archive"}, capsys)
    assert result["failed"] is True
    assert "holds 2 images; only single-image archives are supported" in result["msg"]
    assert not os.path.exists(tmp_path / "o.tar")


# Archives made here ---------------------------------------------------------------------------------------

def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def layer(*files):
    """An uncompressed layer tar holding ``files`` ({name: text})."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, text in files:
            add(tar, name, text.encode())
    return buffer.getvalue()


LAYERS = [layer(("etc/one", "1")), layer(("etc/two", "2")), layer(("opt/three", "3" * 3000))]


def config_for(layers, diff_ids=None):
    return json.dumps({"architecture": "arm64", "os": "linux", "variant": "v8", "config": {},
                       "rootfs": {"type": "layers", "diff_ids": diff_ids or [digest(data) for data in layers]}}).encode()


def docker25_archive(path, layers=None, config=None, extra=()):
    """Docker 25's docker save layout: blobs/sha256/<hex> for config and layers, manifest.json, index.json."""
    layers = LAYERS if layers is None else layers
    config = config or config_for(layers)
    blob = {data: "blobs/sha256/" + digest(data).split(":")[1] for data in [config] + list(layers)}
    with tarfile.open(path, "w") as tar:
        add(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        for data, name in blob.items():
            add(tar, name, data)
        add(tar, "index.json", b'{"schemaVersion":2,"manifests":[]}')
        add(tar, "manifest.json", json.dumps([{"Config": blob[config], "RepoTags": ["lab/new:1"],
                                               "Layers": [blob[data] for data in layers]}]).encode())
        for name, data in extra:
            add(tar, name, data)
    return str(path)


def test_docker25_layout_to_docker_archive(capsys, tmp_path):
    src = docker25_archive(tmp_path / "src.tar")
    diff_ids = [digest(data) for data in LAYERS]
    result = run({"src": src, "dest": str(tmp_path / "out.tar"), "format": "docker-archive",
                  "present_chains": [diff_ids[:1]]}, capsys)
    assert (result["layers_total"], result["layers_sent"], result["layers_skipped"]) == (3, 2, 1)
    assert result["image_id"] == digest(config_for(LAYERS))
    files = members(tmp_path / "out.tar")
    manifest = json.loads(files["manifest.json"])[0]
    assert manifest["Layers"] == ["blobs/sha256/" + d.split(":")[1] for d in diff_ids]
    assert manifest["RepoTags"] == ["lab/new:1"]
    assert sorted(files) == sorted(["manifest.json", manifest["Config"]] + manifest["Layers"][1:])
    assert "index.json" not in files  # it would name blobs the cut leaves out


def test_docker25_layout_to_oci(capsys, tmp_path):
    src = docker25_archive(tmp_path / "src.tar")
    diff_ids = [digest(data) for data in LAYERS]
    result = run({"src": src, "dest": str(tmp_path / "out.tar"), "format": "oci", "ref": "registry.lab:5000/new:2",
                  "present_blobs": [diff_ids[1].split(":")[1]]}, capsys)  # bare hex is accepted
    assert (result["layers_sent"], result["layers_skipped"]) == (2, 1)
    files = members(tmp_path / "out.tar")
    (descriptor,) = json.loads(files["index.json"])["manifests"]
    assert descriptor["annotations"]["org.opencontainers.image.ref.name"] == "2"
    assert descriptor["platform"] == {"architecture": "arm64", "os": "linux", "variant": "v8"}
    manifest = json.loads(files["blobs/sha256/" + descriptor["digest"].split(":")[1]])
    assert [(item["digest"], item["size"]) for item in manifest["layers"]] == [(digest(d), len(d)) for d in LAYERS]
    assert "blobs/sha256/" + diff_ids[1].split(":")[1] not in files
    assert files["blobs/sha256/" + diff_ids[2].split(":")[1]] == LAYERS[2]


def test_repeated_layer_in_docker25_layout_is_written_once(capsys, tmp_path):
    layers = [LAYERS[0], LAYERS[1], LAYERS[0]]
    src = docker25_archive(tmp_path / "src.tar", layers=layers)
    for fmt in ("docker-archive", "oci"):
        dest = tmp_path / (fmt + ".tar")
        result = run({"src": src, "dest": str(dest), "format": fmt, "ref": "lab/x:1"}, capsys)
        assert (result["layers_total"], result["layers_sent"]) == (3, 3)
        with tarfile.open(dest) as tar:
            names = tar.getnames()
        assert len(names) == len(set(names))
        assert sum(1 for name in names if name.endswith(digest(LAYERS[0]).split(":")[1])) == 1


def test_a_layer_that_is_not_its_diff_id_fails_naming_it(capsys, tmp_path):
    diff_ids = [digest(data) for data in LAYERS]
    diff_ids[1] = "sha256:" + "e" * 64
    src = docker25_archive(tmp_path / "src.tar", config=config_for(LAYERS, diff_ids))
    dest = tmp_path / "out" / "o.tar"
    dest.parent.mkdir()
    for check_mode in (False, True):
        result = run({"src": src, "dest": str(dest), "format": "docker-archive"}, capsys, check_mode=check_mode)
        assert result["failed"] is True
        assert "layer 2 (blobs/sha256/%s) has digest %s, not its diff ID sha256:%s" % (
            digest(LAYERS[1]).split(":")[1], digest(LAYERS[1]), "e" * 64) in result["msg"]
        assert os.listdir(dest.parent) == []  # the temporary file is gone too


def test_a_left_out_layer_is_not_read(capsys, tmp_path):
    # the wrong layer 2 is never opened when the node has it: only what is sent is checked
    diff_ids = [digest(data) for data in LAYERS]
    diff_ids[1] = "sha256:" + "e" * 64
    src = docker25_archive(tmp_path / "src.tar", config=config_for(LAYERS, diff_ids))
    result = run({"src": src, "dest": str(tmp_path / "o.tar"), "format": "docker-archive", "present_chains": [diff_ids[:2]]}, capsys)
    assert (result.get("failed"), result["layers_sent"]) == (None, 1)


def test_compressed_layer_is_named_as_such(capsys, tmp_path):
    packed = gzip.compress(LAYERS[0], mtime=0)
    src = docker25_archive(tmp_path / "src.tar", layers=[packed], config=config_for(LAYERS[:1]))
    result = run({"src": src, "dest": str(tmp_path / "o.tar"), "format": "oci", "ref": "lab/x:1"}, capsys)
    assert "it is gzip-compressed" in result["msg"]


def test_layers_are_streamed(capsys, tmp_path, monkeypatch):
    big = layer(("opt/big", "x" * (6 * 1024 * 1024)))
    src = docker25_archive(tmp_path / "src.tar", layers=[big], config=config_for([big]))
    sizes = []
    real_read = image_archive_subset._HashingReader.read

    def read(self, size=-1):
        data = real_read(self, size)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(image_archive_subset._HashingReader, "read", read)
    result = run({"src": src, "dest": str(tmp_path / "o.tar"), "format": "oci", "ref": "lab/x:1"}, capsys)
    assert result["layers_sent"] == 1
    assert sum(sizes) == len(big)
    assert max(sizes) <= 1024 * 1024


@pytest.mark.parametrize(("change", "message"), [
    (lambda tar: None, "no manifest.json in the archive: not a docker-archive"),
    (lambda tar: add(tar, "manifest.json", b'[{"Config": "c.json", "Layers": []}]'), "c.json is listed in manifest.json but c.json is not in the archive"),
    (lambda tar: (add(tar, "c.json", config_for([b"x"])), add(tar, "manifest.json", b'[{"Config": "c.json", "Layers": ["l/layer.tar"]}]')),
     "layer 1 (l/layer.tar) is listed in manifest.json but l/layer.tar is not in the archive"),
    (lambda tar: (add(tar, "c.json", config_for([b"x", b"y"])), add(tar, "manifest.json", b'[{"Config": "c.json", "Layers": ["l/layer.tar"]}]')),
     "manifest.json lists 1 layers but the config's rootfs.diff_ids has 2"),
])
def test_broken_archives(capsys, tmp_path, change, message):
    src = tmp_path / "src.tar"
    with tarfile.open(src, "w") as tar:
        add(tar, "repositories", b"{}")
        change(tar)
    result = run({"src": str(src), "dest": str(tmp_path / "o.tar"), "format": "docker-archive"}, capsys)
    assert result["failed"] is True
    assert message in result["msg"]


def test_a_file_that_is_no_tar(capsys, tmp_path):
    src = tmp_path / "src.tar"
    src.write_bytes(b"not a tar" * 100)
    result = run({"src": str(src), "dest": str(tmp_path / "o.tar"), "format": "docker-archive"}, capsys)
    assert result["failed"] is True
    assert result["msg"].startswith(str(src) + ": ")


@pytest.mark.parametrize(("args", "message"), [
    ({"format": "oci"}, "format is oci but all of the following are missing: ref"),
    ({"format": "docker-archive", "dest": APP_TAR}, "dest must not be src"),
    ({"format": "docker-archive", "dest": "/nonexistent-dir/o.tar"}, "the directory of dest, /nonexistent-dir, does not exist"),
    ({"format": "docker-archive", "src": "/nonexistent.tar"}, "src /nonexistent.tar is not a file"),
    ({"format": "oci", "ref": "lab/x:1", "present_blobs": ["sha256:12"]}, "present_blobs entry 'sha256:12' is not a sha256 digest"),
    ({"format": "docker-archive", "present_chains": [["nope"]]}, "present_chains[0] entry 'nope' is not a sha256 digest"),
    ({"format": "docker-archive", "ref": "lab x"}, "ref 'lab x' is not an image reference"),
])
def test_bad_options(capsys, tmp_path, args, message):
    result = run(dict({"src": APP_TAR, "dest": str(tmp_path / "o.tar")}, **args), capsys)
    assert result["failed"] is True
    assert message in result["msg"]
    assert not os.path.exists(tmp_path / "o.tar")
