#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: alluxio_fs_stat_info
short_description: Find where the blocks of an Alluxio file live (C(alluxio fs stat))
version_added: 0.1.0
description:
  - Reads the output of C(alluxio fs stat PATH) into facts - file attributes, every block with the hosts holding it,
    the workers' addresses (ports, domain socket path, tiered identity), blocks and bytes per worker host and tier, and
    the sorted list of hosts that hold any block.
  - Understands Alluxio 2.0 to 3.x (C(FileInfo{...}) and C(URIStatus{info=FileInfo{...}}) shapes), client log
    lines printed before the output, and paths that contain commas, C(=), braces or brackets.
  - A path that does not exist is an answer (RV(exists=false), RV(file=null)), not a failure.
  - For very large files set O(summary) - a 1 TB file has 16,384 blocks of 64 MB, and Ansible's cost for a result grows
    with the number of values in it.
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
  summary:
    description:
      - Return the file facts, RV(file.block_count), RV(file.per_host) (blocks and bytes per worker host) and
        RV(file.workers), without the block list RV(file.blocks).
    type: bool
    default: false
    version_added: 0.2.0
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
    target_host: "{{ license_stat.file.blocks[0].hosts[0] }}"
  when: license_stat.exists

- name: Which host holds most of a 1 TB file (no block list)
  dataplane.alluxio_spark.alluxio_fs_stat_info:
    path: /data/one-terabyte.bin
    summary: true
  register: big

- name: Show the bytes per host
  ansible.builtin.debug:
    msg: "{{ big.file.per_host | dict2items | sort(attribute='value.bytes', reverse=true) | first }}"

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
  description: The path the output is about (the header's path, or the missing path).
  returned: success
  type: str
  sample: /LICENSE
worker_hosts:
  description: Sorted unique hosts (worker names, usually node IPs) holding any block of any entry.
  returned: success
  type: list
  elements: str
  sample: [192.168.8.17]
file:
  description:
    - The status of the file or directory; B(null) when the path does not exist (RV(exists=false)).
    - With O(summary=true), without RV(file.blocks).
  returned: success
  type: dict
  contains:
    file_id:
      description: Alluxio's file id.
      type: int
      returned: always
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
    pinned:
      description: Whether the file is pinned in Alluxio storage.
      type: bool
      returned: always
    ttl:
      description: Time to live in milliseconds; C(-1) for none.
      type: int
      returned: always
    ttl_action:
      description: What happens when the TTL expires, for example C(DELETE) or C(FREE).
      type: str
      returned: always
    creation_time_ms:
      description: Creation time, milliseconds since the epoch.
      type: int
      returned: always
    last_modification_time_ms:
      description: Last modification time, milliseconds since the epoch.
      type: int
      returned: always
    mount_id:
      description: Id of the mount point the file lives under.
      type: int
      returned: always
    ufs_fingerprint:
      description: Fingerprint of the under file system copy as printed; empty when there is none.
      type: str
      returned: always
    acl:
      description: Access control list as printed.
      type: str
      returned: always
    default_acl:
      description: Default access control list of a directory as printed; empty for files.
      type: str
      returned: always
    block_count:
      description: Number of blocks.
      type: int
      returned: always
    per_host:
      description:
        - Blocks and bytes per worker host, keyed by host and sorted, over the blocks with a copy on that host (a block
          with copies on two hosts counts on both). Blocks that no worker holds are on no host.
      type: dict
      returned: always
      sample: {"10.200.0.11": {"blocks": 5462, "bytes": 366553448448, "tiers": {"MEM": {"blocks": 5462, "bytes": 366553448448}}}}
      contains:
        blocks:
          description: Blocks with a copy on the host.
          type: int
        bytes:
          description: Sum of the lengths of those blocks.
          type: int
        tiers:
          description:
            - The same per storage tier of the copies on the host, keyed by tier alias (for example C(MEM)), each with
              C(blocks) and C(bytes).
          type: dict
    workers:
      description: The workers that hold any block, each once, with their addresses.
      type: list
      elements: dict
      returned: always
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
        node:
          description: Node of the worker's tiered identity; null in 3.x.
          type: str
        rack:
          description: Rack of the worker's tiered identity, or null.
          type: str
    blocks:
      description:
        - The blocks in file order, each its id and the hosts holding a copy. Block I(i) starts at byte
          I(i) x RV(file.block_size_bytes) and all but the last are RV(file.block_size_bytes) long; RV(file.workers) has
          the workers' addresses and RV(file.per_host) the tiers.
        - Lean on purpose, for the cost of a large result in Ansible grows with the number of values in it.
      type: list
      elements: dict
      returned: unless O(summary=true)
      contains:
        id:
          description: Block id.
          type: int
        hosts:
          description: Hosts (worker names, node IPs on Kubernetes) holding a copy, in Alluxio's order; empty when no
            worker holds the block.
          type: list
          elements: str
  sample:
    path: /LICENSE
    length: 27040
    block_count: 1
    per_host: {192.168.8.17: {blocks: 1, bytes: 27040, tiers: {MEM: {blocks: 1, bytes: 27040}}}}
    blocks: [{id: 16777216, hosts: [192.168.8.17]}]
more_files:
  description:
    - The entries after the first when the output has several (a wildcard path prints one per match), each like RV(file);
      empty for a single path.
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
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import MISSING_PATH_RE, parse_fs_stat, summarize_fs_stat


def _missing_path(rc, stdout):
    # The CLI exits 255 for a missing path and says so on stdout: that is an answer, not an error.
    return any(MISSING_PATH_RE.match(line) for line in stdout.splitlines())


def main():
    module = AnsibleModule(
        argument_spec=pod_argument_spec(path=dict(type="str"), summary=dict(type="bool", default=False)),
        mutually_exclusive=[("path", "output")],
        required_one_of=[("path", "output")],
        supports_check_mode=True,
    )
    argv = [module.params["alluxio_bin"], "fs", "stat", module.params["path"] or ""]
    run_info_module(module, argv, parse_fs_stat, accept_failed_command=_missing_path,
                    shape=summarize_fs_stat if module.params["summary"] else None)


if __name__ == "__main__":
    main()
