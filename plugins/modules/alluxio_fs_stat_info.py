#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: alluxio_fs_stat_info
short_description: Find where the blocks of an Alluxio file live (C(alluxio fs stat))
version_added: 0.1.0
description:
  - Reads the output of C(alluxio fs stat PATH) into facts - file attributes, every block with its
    workers (host, ports, domain socket path, tier), and the sorted list of hosts that hold any block.
  - Understands Alluxio 2.0 to 3.x (C(FileInfo{...}) and C(URIStatus{info=FileInfo{...}}) shapes), client log
    lines printed before the output, and paths that contain commas, C(=), braces or brackets.
  - A path that does not exist is an answer (RV(exists=false)), not a failure.
author:
  - Dataplane team (@dataplane)
extends_documentation_fragment:
  - dataplane.alluxio_spark.alluxio_pod
  - kubernetes.core.k8s_auth_options
options:
  path:
    description:
      - Alluxio path to stat, for example V(/LICENSE). Runs C(alluxio fs stat PATH) in the pod.
      - Exactly one of O(path) and O(output) is required.
    type: str
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
seealso:
  - module: dataplane.alluxio_spark.alluxio_metrics_info
  - module: dataplane.alluxio_spark.alluxio_capacity_info
"""

EXAMPLES = r"""
- name: Find the workers holding /LICENSE
  dataplane.alluxio_spark.alluxio_fs_stat_info:
    path: /LICENSE
    namespace: alluxio
  register: license_stat

- name: Pin the Spark job to the node of the first block
  ansible.builtin.set_fact:
    target_host: "{{ license_stat.file.blocks[0].locations[0].host }}"
  when: license_stat.exists

- name: Parse output captured elsewhere
  dataplane.alluxio_spark.alluxio_fs_stat_info:
    output: "{{ captured.stdout }}"
"""

RETURN = r"""
exists:
  description: Whether the path exists in Alluxio.
  returned: success
  type: bool
  sample: true
path:
  description: The path the output is about.
  returned: success
  type: str
  sample: /LICENSE
worker_hosts:
  description: Sorted unique hosts (worker names, usually node IPs) holding any block of the file.
  returned: success
  type: list
  elements: str
  sample: [192.168.8.17]
file:
  description: The file or directory status; null when RV(exists) is false.
  returned: success
  type: dict
  contains:
    path:
      description: Alluxio path.
      type: str
      returned: always
    name:
      description: Last component of the path.
      type: str
      returned: always
    ufs_path:
      description: Path in the under file system.
      type: str
      returned: always
    folder:
      description: Whether it is a directory.
      type: bool
      returned: always
    length:
      description: Size in bytes.
      type: int
      returned: always
    block_size_bytes:
      description: Block size in bytes.
      type: int
      returned: always
    completed:
      description: Whether the file is complete.
      type: bool
      returned: always
    persisted:
      description: Whether the file is persisted to the under file system.
      type: bool
      returned: always
    persistence_state:
      description: For example C(PERSISTED) or C(TO_BE_PERSISTED).
      type: str
      returned: always
    in_alluxio_percentage:
      description: Percentage of the file cached in Alluxio.
      type: int
      returned: always
    in_memory_percentage:
      description: Percentage of the file in the memory tier.
      type: int
      returned: always
    mode:
      description: Permission bits as the decimal integer Alluxio prints (420 is 0644).
      type: int
      returned: always
    mode_octal:
      description: RV(file.mode) as four octal digits.
      type: str
      returned: always
    owner:
      description: Owner.
      type: str
      returned: always
    group:
      description: Group.
      type: str
      returned: always
    acl:
      description: Access control list as printed.
      type: str
      returned: always
    block_ids:
      description: Block ids in file order.
      type: list
      elements: int
      returned: always
    blocks:
      description: Blocks in file order, with their locations (several locations are replicas).
      type: list
      elements: dict
      returned: always
      contains:
        id:
          description: Block id.
          type: int
        length:
          description: Block length in bytes.
          type: int
        offset:
          description: Offset of the block in the file.
          type: int
        ufs_locations:
          description: Hosts of the under file system copy.
          type: list
          elements: str
        locations:
          description: Workers holding the block.
          type: list
          elements: dict
          contains:
            worker_id:
              description: Worker id.
              type: int
            host:
              description: Worker host (the node IP on Kubernetes).
              type: str
            container_host:
              description: Worker pod IP when set (2.3+), else empty.
              type: str
            rpc_port:
              description: Worker RPC port.
              type: int
            data_port:
              description: Worker data port.
              type: int
            web_port:
              description: Worker web port.
              type: int
            domain_socket_path:
              description: Worker domain socket, empty when short-circuit over a socket is off.
              type: str
            tier_alias:
              description: Storage tier, for example C(MEM).
              type: str
            medium_type:
              description: Storage medium.
              type: str
            node:
              description: Node of the worker's tiered identity; null in 3.x.
              type: str
            rack:
              description: Rack of the worker's tiered identity, or null.
              type: str
  sample:
    path: /LICENSE
    length: 27040
    blocks: [{id: 16777216, length: 27040, offset: 0, locations: [{host: 192.168.8.17, tier_alias: MEM}]}]
files:
  description: Every entry printed (a wildcard path prints one per match); RV(file) is the first.
  returned: success
  type: list
  elements: dict
command:
  description: The argument list run in the pod.
  returned: when O(output) is not given
  type: list
  elements: str
  sample: [alluxio, fs, stat, /LICENSE]
rc:
  description: Exit code of the command (255 for a missing path).
  returned: when O(output) is not given
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_cli import pod_argument_spec, run_info_module
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import MISSING_PATH_RE, parse_fs_stat


def _missing_path(rc, stdout):
    # The CLI exits 255 for a missing path and says so on stdout: that is an answer, not an error.
    return any(MISSING_PATH_RE.match(line) for line in stdout.splitlines())


def main():
    module = AnsibleModule(
        argument_spec=pod_argument_spec(path=dict(type="str")),
        mutually_exclusive=[("path", "output")],
        required_one_of=[("path", "output")],
        supports_check_mode=True,
    )
    argv = [module.params["alluxio_bin"], "fs", "stat", module.params["path"] or ""]
    run_info_module(module, argv, parse_fs_stat, accept_failed_command=_missing_path)


if __name__ == "__main__":
    main()
