# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # Options of the alluxio_*_info modules: text the user has, or a pod to run the CLI in.
    DOCUMENTATION = r"""
options:
  output:
    description:
      - Output of the Alluxio command that you already have, for example registered from a task.
      - When set, nothing is run and no cluster is contacted.
      - When not set, the module runs the command in O(pod) through the Kubernetes API.
    type: str
  namespace:
    description: Namespace of the pod to run the Alluxio CLI in.
    type: str
    default: alluxio
  pod:
    description: Pod to run the Alluxio CLI in. With the chart's C(fullnameOverride=alluxio) the master is C(alluxio-master-0).
    type: str
    default: alluxio-master-0
  container:
    description: Container of O(pod) that has the Alluxio CLI.
    type: str
    default: alluxio-master
  kubeconfig:
    description:
      - Path to a kubeconfig file.
      - If not set, C(KUBECONFIG) or C(~/.kube/config) is used, and inside a cluster (for example an AWX
        execution pod) the pod's service account.
      - Can also be set with the E(K8S_AUTH_KUBECONFIG) environment variable.
    type: path
  context:
    description:
      - Kubeconfig context to use. Can also be set with the E(K8S_AUTH_CONTEXT) environment variable.
    type: str
  alluxio_bin:
    description: The Alluxio launcher inside the container (name on its PATH or absolute path).
    type: str
    default: alluxio
  timeout:
    description: Seconds to wait for the command to finish.
    type: int
    default: 120
requirements:
  - kubernetes >= 24.2.0 (Python library; only when O(output) is not given)
notes:
  - The command runs as an argument list, without a shell, like C(kubectl exec POD -- alluxio ...).
"""
