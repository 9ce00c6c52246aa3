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
  - the kubernetes.core collection
notes:
  - The command runs as an argument list, without a shell, like C(kubectl exec POD -- alluxio ...).
  - The connection options are those of M(kubernetes.core.k8s) (host and token, client certificates, kubeconfig
    and context, proxy, with their C(K8S_AUTH_*) environment variables) and are read by kubernetes.core's client
    factory - an AWX Kubernetes credential works as it is. With none of them set, the pod's service account is used
    inside a cluster, else C(~/.kube/config).
  - Impersonation (O(impersonate_user), O(impersonate_groups)) is accepted but refused when a command is run, because
    the Kubernetes client's exec does not send impersonation headers and the command would run as the caller.
  - Every exec failure (no such pod or container, a pod that is not running, a program that cannot be started, a lost
    connection, the timeout) is a module failure whose message names the command, the pod and the container.
"""
