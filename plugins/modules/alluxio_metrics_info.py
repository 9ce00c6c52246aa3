#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: alluxio_metrics_info
short_description: Read Alluxio cluster metrics and the bytes read per channel (C(alluxio fsadmin report metrics))
version_added: 0.1.0
description:
  - Reads the output of C(alluxio fsadmin report metrics) into a dictionary of metrics, and sums up which
    channel served reads - network, domain socket, short-circuit local file, or the under file system.
  - Understands the 2.0-2.1 sectioned report, the 2.2-2.9 one-line-per-metric report and the 3.x JSON report.
  - Compare RV(bytes_read) before and after a job to see whether a Spark executor read over the network or
    through the worker's domain socket.
author:
  - Dataplane team (@dataplane)
extends_documentation_fragment:
  - dataplane.alluxio_spark.alluxio_pod
  - kubernetes.core.k8s_auth_options
options:
  report_args:
    description:
      - Arguments after O(alluxio_bin). Use V([info, report, metrics]) for the Alluxio 3.x launcher.
    type: list
    elements: str
    default: [fsadmin, report, metrics]
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
seealso:
  - module: dataplane.alluxio_spark.alluxio_fs_stat_info
"""

EXAMPLES = r"""
- name: Read the metrics in the master pod
  dataplane.alluxio_spark.alluxio_metrics_info:
    namespace: alluxio
  register: before

- name: Show which channel carried the bytes
  ansible.builtin.debug:
    msg: "network {{ before.bytes_read.network }} B, domain socket {{ before.bytes_read.domain_socket }} B"
"""

RETURN = r"""
format:
  description: Layout of the report, C(sectioned) (2.0-2.1), C(lines) (2.2-2.9) or C(json) (3.x).
  returned: success
  type: str
  sample: lines
metrics:
  description:
    - Every metric, by name (C(Cluster.BytesReadRemote)). The 2.0-2.1 report prints labels, not names; there
      the key is C(<section> / <label>), for example C(Total IO / From Remote Instances).
  returned: success
  type: dict
  sample:
    Cluster.BytesReadAlluxio: {type: COUNTER, value: 290.47KB, bytes: 297441, per_minute: false, number: null}
  contains:
    type:
      description: Metric type (C(COUNTER), C(GAUGE), ...) or null where not printed.
      type: str
    value:
      description: The value exactly as printed.
      type: str
    bytes:
      description: The value in bytes when it is a size (1024 multipliers, to the printed precision), else null.
      type: int
    per_minute:
      description: Whether RV(metrics.bytes) is a rate per minute (C(/MIN) values and 2.0-2.1 throughput rows).
      type: bool
    number:
      description: The value as a number when it is one (grouping commas removed), else null.
      type: float
bytes_read:
  description:
    - Bytes read per channel, from the cluster counters. Null (not 0) when the report does not print that channel.
  returned: success
  type: dict
  contains:
    network:
      description: Worker reads over network RPC - C(Cluster.BytesReadRemote) (2.5+) or C(Cluster.BytesReadAlluxio) (2.2-2.4),
        C(From Remote Instances) in 2.0-2.1.
      type: int
    domain_socket:
      description: Worker reads over the domain socket - C(Cluster.BytesReadDomain).
      type: int
    short_circuit_local:
      description: Client reads of the block file itself - C(Cluster.BytesReadLocal).
      type: int
    ufs:
      description: Reads from the under file system - C(Cluster.BytesReadUfsAll).
      type: int
  sample: {network: 297441, domain_socket: 0, short_circuit_local: null, ufs: null}
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

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_cli import pod_argument_spec, run_info_module
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics


def main():
    module = AnsibleModule(
        argument_spec=pod_argument_spec(report_args=dict(type="list", elements="str", default=["fsadmin", "report", "metrics"])),
        supports_check_mode=True,
    )
    run_info_module(module, [module.params["alluxio_bin"]] + module.params["report_args"], parse_metrics)


if __name__ == "__main__":
    main()
