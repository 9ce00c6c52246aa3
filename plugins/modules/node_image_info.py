#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: node_image_info
short_description: Ask a node's container runtime (Docker or containerd) whether it has an image, and what it has
version_added: 0.4.0
description:
  - Runs on a Kubernetes node and asks its own runtime, through its CLI, what it holds under an image reference.
    It runs C(docker image inspect) for Docker, and C(ctr images ls) then C(ctr content get) of the image's
    manifest for containerd.
  - The image is present when the runtime has O(image_id) under O(ref). For containerd that is the digest of the
    manifest's config, which is the Docker image ID of the same image.
  - When the image is not present and O(with_contents=true), it also reports what an archive for this node may
    leave out. For Docker, that is the layer chains of every image it holds (C(docker image ls) and C(docker image
    inspect)). For containerd, that is the digest of every blob in its content store (C(ctr content ls)). See
    M(dataplane.alluxio_spark.image_archive_subset).
  - One module run replaces the two to four commands a playbook would otherwise run, each as its own task.
author:
  - Dataplane team (@dataplane)
options:
  runtime:
    description: The node's container runtime.
    type: str
    required: true
    choices: [docker, containerd]
  ref:
    description:
      - The image reference as Docker names it, for example V(spark-alluxio:4.1.4) or V(registry.lab:5000/spark:4).
      - containerd lists the same image under its full name (V(docker.io/library/spark-alluxio:4.1.4)); the module
        matches either.
    type: str
    required: true
  image_id:
    description: The image ID the node should have (V(sha256:<hex>)). Empty when unknown; then the image is never present.
    type: str
    default: ""
  with_contents:
    description: When the image is not present, also read the layer chains (Docker) or content blobs (containerd).
    type: bool
    default: true
  docker_binary:
    description: The Docker CLI on the node.
    type: str
    default: docker
  ctr_binary:
    description: containerd's CLI on the node.
    type: str
    default: ctr
  namespace:
    description: The containerd namespace; the kubelet's images live in V(k8s.io).
    type: str
    default: k8s.io
attributes:
  check_mode:
    support: full
    description: The module only reads, in check mode as in a normal run.
notes:
  - Needs the runtime's CLI on the node and the right to use its socket (root, as a rule).
"""

EXAMPLES = r"""
- name: Ask each node's runtime whether it has the Spark image
  dataplane.alluxio_spark.node_image_info:
    runtime: containerd
    ref: spark-alluxio:4.1.4-alluxio-2.9.6
    image_id: sha256:885774da7c231e352bb101f808721ac248354eaeaafef170975b9a2ac828590d
  register: node_image
  become: true
"""

RETURN = r"""
present:
  description: Whether the runtime has O(image_id) under O(ref).
  returned: always
  type: bool
  sample: false
image_id:
  description: The image ID the runtime has under O(ref), or an empty string when it has nothing there.
  returned: always
  type: str
  sample: sha256:885774da7c231e352bb101f808721ac248354eaeaafef170975b9a2ac828590d
runtime_ref:
  description: The name the runtime keeps the image under (containerd's full name for containerd).
  returned: always
  type: str
  sample: docker.io/library/spark-alluxio:4.1.4-alluxio-2.9.6
present_chains:
  description: Docker only, when the image is not present and O(with_contents=true); else empty. The layer
    chains (lists of diff IDs) of the images the engine holds.
  returned: always
  type: list
  elements: list
  sample: [["sha256:e783bff1f9ad6c18d4dc448b9a90d322c180af9af392e86c735a1ec1aff8f622"]]
present_blobs:
  description: containerd only, when the image is not present and O(with_contents=true); else empty. The digests of
    the blobs in the namespace's content store.
  returned: always
  type: list
  elements: str
  sample: ["sha256:e783bff1f9ad6c18d4dc448b9a90d322c180af9af392e86c735a1ec1aff8f622"]
"""

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._container_runtime import (
    ContainerRuntimeError,
    containerd_ref,
    ctr_target,
    docker_chains,
)

# What docker image inspect says of a name it does not know (the daemon's words, in 20.10 and later).
_DOCKER_NO_SUCH_IMAGE = "no such image"


class _Runtime(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params

    def fail_run(self, argv, rc, out, err):
        self.module.fail_json(msg="%s exited %d: %s" % (" ".join(argv), rc, (err or out).strip()), rc=rc,
                              stdout=out, stderr=err)

    def must(self, argv):
        rc, out, err = self.module.run_command(argv)
        if rc != 0:
            self.fail_run(argv, rc, out, err)
        return out

    def json_of(self, argv, text):
        try:
            return json.loads(text)
        except ValueError as error:
            self.module.fail_json(msg="%s did not print JSON (%s): %r" % (" ".join(argv), error, text[:200]))


class _Docker(_Runtime):
    def name(self):
        return self.params["ref"]

    def image_id(self):
        argv = [self.params["docker_binary"], "image", "inspect", self.params["ref"]]
        rc, out, err = self.module.run_command(argv)
        if rc != 0:
            if _DOCKER_NO_SUCH_IMAGE in err.lower():
                return ""
            self.fail_run(argv, rc, out, err)
        images = self.json_of(argv, out)
        return (images[0].get("Id") or "") if isinstance(images, list) and images and isinstance(images[0], dict) else ""

    def contents(self):
        docker = self.params["docker_binary"]
        ids = sorted(set(self.must([docker, "image", "ls", "--quiet", "--no-trunc"]).split()))
        if not ids:
            return {"present_chains": []}
        argv = [docker, "image", "inspect"] + ids
        try:
            return {"present_chains": docker_chains(self.json_of(argv, self.must(argv)))}
        except ContainerRuntimeError as error:
            self.module.fail_json(msg="%s: %s" % (" ".join(argv[:3]), error))


class _Containerd(_Runtime):
    def ctr(self, *args):
        return [self.params["ctr_binary"], "--namespace", self.params["namespace"]] + list(args)

    def name(self):
        return containerd_ref(self.params["ref"])

    def image_id(self):
        listing = self.must(self.ctr("images", "ls"))
        try:
            target = ctr_target(listing, self.params["ref"])
        except ContainerRuntimeError as error:
            self.module.fail_json(msg="ctr images ls: %s" % error)
        # An index (several platforms) is not what the role imports: the image is then taken as absent.
        if target is None or "manifest" not in target["media_type"]:
            return ""
        argv = self.ctr("content", "get", target["digest"])
        manifest = self.json_of(argv, self.must(argv))
        config = manifest.get("config") if isinstance(manifest, dict) else None
        return (config.get("digest") or "") if isinstance(config, dict) else ""

    def contents(self):
        return {"present_blobs": self.must(self.ctr("content", "ls", "--quiet")).split()}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            runtime=dict(type="str", required=True, choices=["docker", "containerd"]),
            ref=dict(type="str", required=True),
            image_id=dict(type="str", default=""),
            with_contents=dict(type="bool", default=True),
            docker_binary=dict(type="str", default="docker"),
            ctr_binary=dict(type="str", default="ctr"),
            namespace=dict(type="str", default="k8s.io"),
        ),
        supports_check_mode=True,
    )
    runtime = (_Docker if module.params["runtime"] == "docker" else _Containerd)(module)
    try:
        runtime_ref = runtime.name()
    except ContainerRuntimeError as error:
        module.fail_json(msg="ref: %s" % error)
    found = runtime.image_id()
    wanted = module.params["image_id"]
    result = dict(changed=False, present=bool(wanted) and found == wanted, image_id=found, runtime_ref=runtime_ref,
                  present_chains=[], present_blobs=[])
    if not result["present"] and module.params["with_contents"]:
        result.update(runtime.contents())
    module.exit_json(**result)


if __name__ == "__main__":
    main()
