#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: image_archive_subset
short_description: Cut from a C(docker save) archive the part a node lacks, for C(docker load) or C(ctr images import)
version_added: 0.4.0
description:
  - Reads a single-image docker-archive (as C(docker save) or M(community.docker.docker_image_export) write it, in
    Docker 20.10's layout with C(<id>/layer.tar) or Docker 25's with C(blobs/sha256/<hex>)) and writes a new archive
    holding only the layers a node does not have yet, so that a changed top layer is all that crosses the network.
  - With O(format=docker-archive) the result is for C(docker load). Docker does not open the tar of a layer whose
    chain ID (that layer and every layer below it) is already in its layer store, so the leading layers whose chain
    is in O(present_chains) are left out. C(manifest.json) still lists every layer, and the image config is always
    included. Loading such an archive into an engine that lacks the left-out layers fails.
  - With O(format=oci) the result is an OCI image layout for containerd's C(ctr -n k8s.io images import), that is an
    C(index.json) naming the image O(ref), the manifest, the config, and the blob of each layer not in
    O(present_blobs). containerd reads the left-out blobs from its content store. Layers are the archive's
    uncompressed tars, so a layer's blob digest is its diff ID. The manifest is written the same way every run, so
    the same image always has the same manifest digest.
  - Every layer that goes into the result is checked against its diff ID while it is copied; layers are streamed,
    never held in memory.
  - O(dest) is written to a temporary file beside it and renamed into place, so it is either the old file or the
    complete new one.
author:
  - Dataplane team (@dataplane)
options:
  src:
    description: The full docker-archive (a tar, optionally compressed) of exactly one image.
    type: path
    required: true
  dest:
    description: Where to write the cut archive (an uncompressed tar). Must differ from O(src).
    type: path
    required: true
  format:
    description:
      - V(docker-archive) for C(docker load), leaving out the layers whose chain is in O(present_chains).
      - V(oci) for C(ctr images import) (containerd), leaving out the layer blobs in O(present_blobs).
    type: str
    required: true
    choices: [docker-archive, oci]
  ref:
    description:
      - The image reference, for example V(docker.io/lab/spark:4.1.4).
      - Required for O(format=oci), where it names the image in containerd (annotation C(io.containerd.image.name);
        C(org.opencontainers.image.ref.name) gets its tag).
      - For O(format=docker-archive), when given, it replaces the archive's C(RepoTags); otherwise they are kept.
    type: str
  present_chains:
    description:
      - For O(format=docker-archive), the layers of each image the node's Docker has, as lists of diff IDs
        (C(RootFS.Layers) of C(docker image inspect)).
      - Layer I(n) is left out when the chain ID of layers 1 to I(n) is the chain ID of a prefix of one of these.
    type: list
    elements: list
    default: []
  present_blobs:
    description:
      - For O(format=oci), the digests of the blobs in the node's containerd content store (C(ctr -n k8s.io content ls -q)).
      - A layer whose diff ID is among them is left out.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    support: full
    description: Reads O(src), checks the layers that would be sent and returns the same figures without writing O(dest).
notes:
  - Only uncompressed layers are supported, which is what C(docker save) writes with Docker's own (graph driver) image
    store. An archive whose layers are compressed (Docker's containerd image store) fails the diff ID check.
  - The output has no C(repositories) file; C(docker load) reads C(manifest.json).
"""

EXAMPLES = r"""
- name: Every image the node's Docker has
  ansible.builtin.shell: set -o pipefail; docker image ls -q | sort -u | xargs -r docker image inspect
  args:
    executable: /bin/bash
  register: node_images
  changed_when: false

- name: Cut the part of the image the node lacks
  dataplane.alluxio_spark.image_archive_subset:
    src: /var/cache/images/spark-4.1.4.tar
    dest: /var/cache/images/spark-4.1.4.{{ inventory_hostname }}.tar
    format: docker-archive
    ref: docker.io/lab/spark:4.1.4
    present_chains: "{{ (node_images.stdout or '[]') | from_json | map(attribute='RootFS.Layers') | list }}"
  delegate_to: localhost
  register: cut

- name: Blobs in the node's containerd content store
  ansible.builtin.command: ctr -n k8s.io content ls -q
  register: node_blobs
  changed_when: false

- name: Cut an OCI layout for ctr images import
  dataplane.alluxio_spark.image_archive_subset:
    src: /var/cache/images/spark-4.1.4.tar
    dest: /var/cache/images/spark-4.1.4.{{ inventory_hostname }}.oci.tar
    format: oci
    ref: docker.io/lab/spark:4.1.4
    present_blobs: "{{ node_blobs.stdout_lines }}"
  delegate_to: localhost
  register: cut_oci
"""

RETURN = r"""
image_id:
  description: The digest of the image config, which is Docker's image ID and containerd's config digest.
  returned: success
  type: str
  sample: sha256:8a1d6bd0aa7c25d4b5d4ec0e9e7bc3e1e4d0f77f3f4bd1f4e5f7d3c1b3e1a2b4
diff_ids:
  description: The image's layers, bottom first (C(rootfs.diff_ids) of its config).
  returned: success
  type: list
  elements: str
layers_total:
  description: Number of layers of the image.
  returned: success
  type: int
  sample: 5
layers_sent:
  description: Number of the image's layers whose data is in O(dest).
  returned: success
  type: int
  sample: 1
layers_skipped:
  description: Number of layers left out (the node has them).
  returned: success
  type: int
  sample: 4
bytes:
  description: Size of O(dest) in bytes; null in check mode.
  returned: success
  type: int
  sample: 10752
dest:
  description: The path written.
  returned: success
  type: str
format:
  description: The format written, V(docker-archive) or V(oci).
  returned: success
  type: str
  sample: oci
"""

import hashlib
import io
import os
import posixpath
import tarfile
import tempfile
from shutil import copyfileobj

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._image_archive import (
    OCI_LAYOUT,
    ImageArchiveError,
    blob_path,
    check_ref,
    config_platform,
    docker_layers_to_skip,
    docker_manifest,
    normalize_blobs,
    normalize_chains,
    normalize_member,
    oci_index,
    oci_layers_to_send,
    oci_manifest,
    parse_config,
    parse_docker_manifest,
    sha256_digest,
)

_MAX_LINKS = 16
_GZIP_MAGIC = b"\x1f\x8b"


class _HashingReader:
    """Hands a layer's bytes to the tar writer while hashing them, so a layer is read once and never held whole."""

    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()
        self.head = b""

    def read(self, size=-1):
        data = self.raw.read(size)
        if len(self.head) < 2:
            self.head += data[:2]
        self.hash.update(data)
        return data

    def digest(self):
        return "sha256:" + self.hash.hexdigest()


class SourceArchive:
    """The one image of a docker-archive: its manifest entry, config and layer members."""

    def __init__(self, tar):
        self.tar = tar
        self.members = {}
        for member in tar.getmembers():
            try:
                self.members[normalize_member(member.name)] = member  # the last one wins, as on extraction
            except ImageArchiveError:
                continue  # a member outside the archive can be no path manifest.json names
        if "manifest.json" not in self.members:
            raise ImageArchiveError("no manifest.json in the archive: not a docker-archive (docker save) of an image")
        self.entry, config_path, self.layer_paths = parse_docker_manifest(self.read_small("manifest.json"))
        self.config_path = config_path
        self.config_bytes = self.read_small(config_path)
        self.image_id = sha256_digest(self.config_bytes)
        self.config, self.diff_ids = parse_config(self.config_bytes, len(self.layer_paths))
        self.layer_members = [self.resolve(path, "layer %d (%s)" % (index + 1, path)) for index, path in enumerate(self.layer_paths)]

    def resolve(self, path, what):
        """The regular member behind ``path``; Docker 20.10 saves a repeated layer as a symlink to the first copy."""
        name = path
        for _hop in range(_MAX_LINKS):
            member = self.members.get(name)
            if member is None:
                raise ImageArchiveError("%s is listed in manifest.json but %s is not in the archive" % (what, name))
            if member.isreg():
                return member
            if member.issym():
                name = normalize_member(posixpath.join(posixpath.dirname(name), member.linkname))
            elif member.islnk():
                name = normalize_member(member.linkname)
            else:
                raise ImageArchiveError("%s: %s in the archive is not a file" % (what, name))
        raise ImageArchiveError("%s: too many links from %s" % (what, path))

    def read_small(self, path):
        handle = self.tar.extractfile(self.resolve(path, path))
        with handle:
            return handle.read()

    def copy_layer(self, index, out, name):
        """Stream layer ``index`` into ``out`` as ``name`` (only hash it when ``out`` is None); check its diff ID."""
        member = self.layer_members[index]
        reader = _HashingReader(self.tar.extractfile(member))
        with reader.raw:
            if out is None:
                copyfileobj(reader, _NullWriter())
            else:
                out.addfile(_tar_info(name, member.size), reader)
        if reader.digest() != self.diff_ids[index]:
            hint = ""
            if reader.head == _GZIP_MAGIC:
                hint = " (it is gzip-compressed: archives with compressed layers are not supported)"
            raise ImageArchiveError("layer %d (%s) has digest %s, not its diff ID %s%s" % (
                index + 1, self.layer_paths[index], reader.digest(), self.diff_ids[index], hint))


class _NullWriter:
    def write(self, data):
        return len(data)


def _tar_info(name, size):
    # Fixed metadata: the same input gives the same output bytes.
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = 0
    return info


def _add_bytes(out, name, data):
    if out is not None:
        out.addfile(_tar_info(name, len(data)), io.BytesIO(data))


def write_docker_archive(source, out, skip, ref):
    """Config, the layers from ``skip`` on, manifest.json listing them all. Returns the number of layers sent."""
    _add_bytes(out, source.config_path, source.config_bytes)
    written = set()
    for index in range(skip, len(source.layer_paths)):
        path = source.layer_paths[index]
        if path in written:
            continue  # Docker 25 names a repeated layer by one blob path
        source.copy_layer(index, out, path)
        written.add(path)
    _add_bytes(out, "manifest.json", docker_manifest(source.entry, ref))
    return len(source.layer_paths) - skip


def write_oci_layout(source, out, send, ref):
    """oci-layout, the config and layer blobs, the manifest, index.json. Returns the number of layers sent."""
    _add_bytes(out, "oci-layout", OCI_LAYOUT)
    _add_bytes(out, blob_path(source.image_id), source.config_bytes)
    written = set()
    for index, diff_id in enumerate(source.diff_ids):
        if send[index] and diff_id not in written:
            source.copy_layer(index, out, blob_path(diff_id))
            written.add(diff_id)
    layers = [(diff_id, member.size) for diff_id, member in zip(source.diff_ids, source.layer_members)]
    manifest = oci_manifest(source.image_id, len(source.config_bytes), layers)
    manifest_digest = sha256_digest(manifest)
    _add_bytes(out, blob_path(manifest_digest), manifest)
    _add_bytes(out, "index.json", oci_index(manifest_digest, len(manifest), ref, config_platform(source.config)))
    return sum(1 for item in send if item)


def cut(src, out, fmt, ref, present_chains, present_blobs):
    """Read ``src`` and write the cut into the open tar ``out`` (None: check only). Returns the result figures."""
    with tarfile.open(src, "r:*") as tar:
        source = SourceArchive(tar)
        if fmt == "oci":
            sent = write_oci_layout(source, out, oci_layers_to_send(source.diff_ids, present_blobs), ref)
        else:
            skip = docker_layers_to_skip(source.diff_ids, present_chains)
            sent = write_docker_archive(source, out, skip, ref)
    total = len(source.diff_ids)
    return dict(image_id=source.image_id, diff_ids=source.diff_ids, layers_total=total, layers_sent=sent, layers_skipped=total - sent)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path", required=True),
            dest=dict(type="path", required=True),
            format=dict(type="str", required=True, choices=["docker-archive", "oci"]),
            ref=dict(type="str"),
            present_chains=dict(type="list", elements="list", default=[]),
            present_blobs=dict(type="list", elements="str", default=[]),
        ),
        required_if=[("format", "oci", ["ref"])],
        supports_check_mode=True,
    )
    params = module.params
    src, dest, fmt, ref = params["src"], params["dest"], params["format"], params["ref"]
    try:
        present_chains = normalize_chains(params["present_chains"])
        present_blobs = normalize_blobs(params["present_blobs"])
        if ref is not None:
            check_ref(ref)
        if not os.path.isfile(src):
            raise ImageArchiveError("src %s is not a file" % src)
        if os.path.exists(dest) and os.path.samefile(src, dest):
            raise ImageArchiveError("dest must not be src (%s)" % src)
        dest_dir = os.path.dirname(os.path.abspath(dest))
        if not os.path.isdir(dest_dir):
            raise ImageArchiveError("the directory of dest, %s, does not exist" % dest_dir)
    except ImageArchiveError as error:
        module.fail_json(msg=to_native(error))

    result = dict(changed=True, dest=dest, format=fmt, bytes=None)
    try:
        if module.check_mode:
            result.update(cut(src, None, fmt, ref, present_chains, present_blobs))
            module.exit_json(**result)
        handle, temp = tempfile.mkstemp(prefix="." + os.path.basename(dest) + ".", suffix=".tmp", dir=dest_dir)
        try:
            with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as out:
                result.update(cut(src, out, fmt, ref, present_chains, present_blobs))
        except BaseException:
            os.unlink(temp)
            raise
        module.atomic_move(temp, dest)
        result["bytes"] = os.path.getsize(dest)
    except (ImageArchiveError, tarfile.TarError, OSError) as error:
        # the archive's faults: name it
        module.fail_json(msg="%s: %s" % (src, to_native(error)))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
