# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE helpers for cutting a per-node subset of a ``docker save`` archive. Pure: no I/O.

A docker-archive holds ``manifest.json`` (one entry per image: ``Config``, ``RepoTags``, ``Layers``),
the image config and one uncompressed tar per layer. The config's ``rootfs.diff_ids`` name the layers
by the sha256 of those tars. Docker 20.10 writes ``<v1 id>/layer.tar`` and ``<hex>.json``; Docker 25
and later write ``blobs/sha256/<hex>`` for both, beside an OCI ``index.json``. Either way the paths are
read from ``manifest.json``.

What a node can do without:
- ``docker load`` skips a layer whose chain ID (the layer and every layer below it) is already in its
  layer store, without opening the layer's tar. So only a prefix of the layers can be left out.
- ``ctr images import`` of an OCI layout reads any blob it is not given from containerd's content
  store, so any layer whose blob (digest = diff ID, uncompressed) the node holds can be left out.
"""

import hashlib
import json
import posixpath
import re

DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_HEX_RE = re.compile(r"^[0-9a-f]{64}$")

OCI_LAYOUT = b'{"imageLayoutVersion":"1.0.0"}'
OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar"
# containerd names the imported image after this annotation; the OCI one carries the tag alone.
CONTAINERD_NAME_ANNOTATION = "io.containerd.image.name"
OCI_REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"


class ImageArchiveError(Exception):
    """The archive, or an option, is not something this module can cut."""


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def normalize_digest(value, what="digest"):
    """``sha256:<64 hex>``, also accepting bare hex and upper case (as some tools print them)."""
    if not isinstance(value, str):
        raise ImageArchiveError("%s must be a string, got %r" % (what, value))
    text = value.strip().lower()
    if _HEX_RE.match(text):
        text = "sha256:" + text
    if not DIGEST_RE.match(text):
        raise ImageArchiveError("%s %r is not a sha256 digest (sha256:<64 hex digits>)" % (what, value))
    return text


def chain_ids(diff_ids):
    """The chain ID of every prefix: chain(L1) = diffID(L1); chain(L1..Ln) = sha256(chain(L1..Ln-1) + " " + diffID(Ln))."""
    chains = []
    for diff_id in diff_ids:
        if not chains:
            chains.append(diff_id)
        else:
            chains.append(sha256_digest(("%s %s" % (chains[-1], diff_id)).encode("ascii")))
    return chains


def normalize_chains(present_chains):
    """``present_chains`` as lists of ``sha256:<hex>`` diff IDs."""
    chains = []
    for index, chain in enumerate(present_chains):
        if not isinstance(chain, (list, tuple)):
            raise ImageArchiveError("present_chains[%d] must be a list of diff IDs, got %r" % (index, chain))
        chains.append([normalize_digest(item, "present_chains[%d] entry" % index) for item in chain])
    return chains


def normalize_blobs(present_blobs):
    return [normalize_digest(item, "present_blobs entry") for item in present_blobs]


def known_chain_ids(present_chains):
    """Every chain ID a node's layer store holds, given the ``RootFS.Layers`` of each image it has."""
    known = set()
    for chain in normalize_chains(present_chains):
        known.update(chain_ids(chain))
    return known


def docker_layers_to_skip(diff_ids, present_chains):
    """How many leading layers ``docker load`` will not open, the node having their chain already.

    Stops at the first layer whose chain is unknown: a chain above it cannot be in the store either.
    """
    known = known_chain_ids(present_chains)
    skip = 0
    for chain in chain_ids(diff_ids):
        if chain not in known:
            break
        skip += 1
    return skip


def oci_layers_to_send(diff_ids, present_blobs):
    """For each layer, whether its blob must go in the OCI layout (the node's content store lacks it)."""
    present = set(normalize_blobs(present_blobs))
    return [diff_id not in present for diff_id in diff_ids]


def ref_tag(ref):
    """The tag of an image reference (``docker.io/lab/spark:4.1.4`` -> ``4.1.4``); ``latest`` when it has none."""
    name = ref.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return "latest"


def check_ref(ref):
    if not ref or any(char.isspace() for char in ref):
        raise ImageArchiveError("ref %r is not an image reference" % (ref,))
    tag = ref_tag(ref)
    if not tag:
        raise ImageArchiveError("ref %r has an empty tag" % (ref,))
    return ref


def normalize_member(path):
    """A tar member name as the archive's own paths are compared: no ``./``, no trailing slash."""
    clean = posixpath.normpath(path.replace("\\", "/"))
    while clean.startswith("./"):
        clean = clean[2:]
    if clean in (".", "") or clean.startswith("/") or clean == ".." or clean.startswith("../"):
        raise ImageArchiveError("path %r in the archive points outside it" % (path,))
    return clean


def parse_docker_manifest(data):
    """``(entry, config_path, layer_paths)`` of the one image in a ``manifest.json``."""
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise ImageArchiveError("manifest.json is not JSON: %s" % error) from error
    if not isinstance(manifest, list):
        raise ImageArchiveError("manifest.json is not a list of images")
    if len(manifest) != 1:
        raise ImageArchiveError(
            "the archive holds %d images; only single-image archives are supported (save one image per archive)" % len(manifest))
    entry = manifest[0]
    if not isinstance(entry, dict) or not isinstance(entry.get("Config"), str) or not isinstance(entry.get("Layers"), list):
        raise ImageArchiveError("manifest.json's entry lacks Config or Layers")
    if not all(isinstance(item, str) for item in entry["Layers"]):
        raise ImageArchiveError("manifest.json's Layers are not all paths")
    return entry, normalize_member(entry["Config"]), [normalize_member(item) for item in entry["Layers"]]


def parse_config(data, layer_count):
    """``(config, diff_ids)``; the diff IDs must match manifest.json's layers one for one."""
    try:
        config = json.loads(data)
    except ValueError as error:
        raise ImageArchiveError("the image config is not JSON: %s" % error) from error
    rootfs = config.get("rootfs") if isinstance(config, dict) else None
    diff_ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    if not isinstance(diff_ids, list):
        raise ImageArchiveError("the image config has no rootfs.diff_ids")
    diff_ids = [normalize_digest(item, "rootfs.diff_ids entry") for item in diff_ids]
    if len(diff_ids) != layer_count:
        raise ImageArchiveError(
            "manifest.json lists %d layers but the config's rootfs.diff_ids has %d" % (layer_count, len(diff_ids)))
    return config, diff_ids


def docker_manifest(entry, ref=None):
    """The output ``manifest.json``: the same entry (every layer path stays listed), RepoTags = [ref] when given."""
    out = dict(entry)
    if ref:
        out["RepoTags"] = [ref]
    return json.dumps([out], separators=(",", ":")).encode("utf-8")


def _dumps(value):
    # Written once, in insertion order: the same image always gives the same bytes, so the same digest.
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def oci_manifest(config_digest, config_size, layers):
    """An OCI image manifest; ``layers`` is ``[(diff_id, size), ...]`` (uncompressed tars, digest = diff ID)."""
    return _dumps({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": OCI_CONFIG_MEDIA_TYPE, "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": OCI_LAYER_MEDIA_TYPE, "digest": digest, "size": size} for digest, size in layers],
    })


def config_platform(config):
    """The OCI platform of an image config, or None when it names no OS and architecture."""
    if not (isinstance(config.get("os"), str) and isinstance(config.get("architecture"), str)):
        return None
    platform = {"architecture": config["architecture"], "os": config["os"]}
    if isinstance(config.get("variant"), str) and config["variant"]:
        platform["variant"] = config["variant"]
    return platform


def oci_index(manifest_digest, manifest_size, ref, platform=None):
    """``index.json`` with one manifest, named for containerd by the full reference."""
    descriptor = {"mediaType": OCI_MANIFEST_MEDIA_TYPE, "digest": manifest_digest, "size": manifest_size}
    if platform:
        descriptor["platform"] = platform
    descriptor["annotations"] = {CONTAINERD_NAME_ANNOTATION: ref, OCI_REF_NAME_ANNOTATION: ref_tag(ref)}
    return _dumps({"schemaVersion": 2, "mediaType": OCI_INDEX_MEDIA_TYPE, "manifests": [descriptor]})


def blob_path(digest):
    return "blobs/sha256/" + digest.split(":", 1)[1]
