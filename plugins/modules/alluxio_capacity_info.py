#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: alluxio_capacity_info
short_description: Read Alluxio capacity per tier and per worker (C(alluxio fsadmin report capacity))
version_added: 0.1.0
description:
  - Reads the output of C(alluxio fsadmin report capacity) into totals, per-tier sizes and one entry per worker.
  - Understands single- and multi-tier tables, the State/Version/Revision columns of 2.10 and 3.0.x, and
    C(No workers found.) (no workers, zero capacity).
  - On Kubernetes a worker's name is its node's InternalIP, which lets a role check that the live workers are
    exactly the nodes it labelled.
author:
  - Dataplane team (@dataplane)
extends_documentation_fragment:
  - dataplane.alluxio_spark.alluxio_pod
  - kubernetes.core.k8s_auth_options
options:
  report_args:
    description: Arguments after O(alluxio_bin), for example V([fsadmin, report, capacity, -live]).
    type: list
    elements: str
    default: [fsadmin, report, capacity]
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
seealso:
  - module: dataplane.alluxio_spark.alluxio_metrics_info
"""

EXAMPLES = r"""
- name: Read the capacity report in the master pod
  dataplane.alluxio_spark.alluxio_capacity_info:
  register: capacity

- name: Every worker is up and has capacity
  ansible.builtin.assert:
    that:
      - capacity.worker_count == 3
      - capacity.total_bytes > 0
"""

RETURN = r"""
range:
  description: Which workers the report covers (C(all), C(live), C(lost), C(specified)); null for C(No workers found.).
  returned: success
  type: str
  sample: all
total_bytes:
  description: Total capacity in bytes (1024 multipliers, to the printed precision); 0 when there are no workers.
  returned: success
  type: int
  sample: 3221225472
used_bytes:
  description: Used capacity in bytes.
  returned: success
  type: int
  sample: 0
total_vcpus:
  description: The workers' vCPUs in all, as Alluxio 2.9.5 and later print it; null in reports without it.
  returned: success
  type: int
  sample: 3
used_percentage:
  description: Used percentage as printed; null when the report leaves it out (zero total capacity).
  returned: success
  type: int
free_percentage:
  description: Free percentage as printed; null when the report leaves it out.
  returned: success
  type: int
tiers:
  description: Per storage tier alias, C(total_bytes) and C(used_bytes).
  returned: success
  type: dict
  sample: {MEM: {total_bytes: 3221225472, used_bytes: 0}}
workers:
  description: One entry per worker, in the report's order (by last heartbeat).
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Worker host (the node InternalIP on Kubernetes).
      type: str
    state:
      description: C(ACTIVE), C(LOST), ... in 2.10/3.0.x reports, else null.
      type: str
    last_heartbeat:
      description: Seconds since the worker's last heartbeat.
      type: int
    version:
      description: Worker version in 2.10/3.0.x reports, else null.
      type: str
    revision:
      description: Worker build revision in 2.10/3.0.x reports, else null.
      type: str
    capacity_bytes:
      description: Capacity per tier alias; tiers the worker lacks are absent.
      type: dict
    used_bytes:
      description: Used bytes per tier alias.
      type: dict
    used_percentage:
      description: The worker's used percentage, null when its capacity is 0.
      type: int
worker_count:
  description: Number of workers in the table.
  returned: success
  type: int
  sample: 3
command:
  description: The argument list run in the pod.
  returned: when O(output) is not given
  type: list
  elements: str
rc:
  description: Exit code of the command.
  returned: when O(output) is not given
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_cli import pod_argument_spec, run_info_module


def main():
    module = AnsibleModule(
        argument_spec=pod_argument_spec(report_args=dict(type="list", elements="str", default=["fsadmin", "report", "capacity"])),
        supports_check_mode=True,
    )
    run_info_module(module, [module.params["alluxio_bin"]] + module.params["report_args"], parse_capacity)


if __name__ == "__main__":
    main()
