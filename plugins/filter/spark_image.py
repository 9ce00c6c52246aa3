# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the spark_image role, which puts a Spark image onto every node with the node's own runtime.

``spark_image_node_runtime``: Docker or containerd, from a Node object. ``spark_image_containerd_ref``:
the full name containerd keeps for a reference. ``spark_image_ctr_target``: the image ``ctr images ls``
lists under a reference. ``spark_image_docker_chains``: layer chains of ``docker image inspect`` results.
``spark_image_docker_image``: the inspect result a name or ID resolves to.
``spark_image_report``: the per-node report lines. ``spark_image_node_runtime_of``: the runtime of the
node of a given name in a list. ``spark_image_nodes_state``, ``spark_image_node_statuses`` and
``spark_image_failed_nodes``: the play's per-node results, gathered, reduced to statuses, and the failed
ones. The logic is in module_utils/_container_runtime.py; docs are in the sidecar YAML files beside this one.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._container_runtime import (
    ContainerRuntimeError,
    containerd_ref,
    ctr_target,
    docker_chains,
    docker_image_named,
    failed_nodes,
    node_runtime,
    node_runtime_of,
    nodes_state,
    report,
)


def _errors_as_filter_errors(name):
    def wrap(function):
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except ContainerRuntimeError as exc:
                raise AnsibleFilterError("%s: %s" % (name, exc)) from exc

        run.__name__, run.__doc__ = function.__name__, function.__doc__
        return run

    return wrap


@_errors_as_filter_errors("spark_image_node_runtime")
def spark_image_node_runtime(node, override=None):
    """{runtime: docker|containerd, version, node} of a Node object; a non-empty override wins."""
    return node_runtime(node, override)


@_errors_as_filter_errors("spark_image_node_runtime_of")
def spark_image_node_runtime_of(nodes, name, override=None):
    """spark_image_node_runtime of the node called name in a list of Node objects."""
    return node_runtime_of(nodes, name, override)


@_errors_as_filter_errors("spark_image_containerd_ref")
def spark_image_containerd_ref(ref):
    """lab/spark:4.1.4 -> docker.io/lab/spark:4.1.4, spark -> docker.io/library/spark:latest."""
    return containerd_ref(ref)


@_errors_as_filter_errors("spark_image_ctr_target")
def spark_image_ctr_target(ctr_images_ls_text, ref):
    """{ref, media_type, digest} of the ``ctr images ls`` row for ref, or None."""
    return ctr_target(ctr_images_ls_text, ref)


@_errors_as_filter_errors("spark_image_docker_chains")
def spark_image_docker_chains(inspect_list):
    """The distinct RootFS.Layers lists of docker image inspect results."""
    return docker_chains(inspect_list)


@_errors_as_filter_errors("spark_image_docker_image")
def spark_image_docker_image(images, name):
    """The docker image inspect result Docker resolves name (a reference or an image ID) to, or None."""
    return docker_image_named(images, name)


@_errors_as_filter_errors("spark_image_report")
def spark_image_report(nodes):
    """Header, one aligned row per node, totals."""
    return report(nodes)


def spark_image_nodes_state(hosts, hostvars, fact="__spark_image_node_result"):
    """{host: result} of every host of the play; a host that recorded no result is unreachable."""
    return nodes_state(hosts, {host: (hostvars.get(host) or {}).get(fact) for host in hosts})


def spark_image_node_statuses(nodes):
    """{node: status}."""
    return {name: node.get("status") for name, node in nodes.items()}


def spark_image_failed_nodes(nodes):
    """Sorted names of the failed and unreachable nodes."""
    return failed_nodes(nodes)


class FilterModule(object):
    def filters(self):
        return {
            "spark_image_node_runtime": spark_image_node_runtime,
            "spark_image_containerd_ref": spark_image_containerd_ref,
            "spark_image_ctr_target": spark_image_ctr_target,
            "spark_image_docker_chains": spark_image_docker_chains,
            "spark_image_docker_image": spark_image_docker_image,
            "spark_image_report": spark_image_report,
            "spark_image_node_runtime_of": spark_image_node_runtime_of,
            "spark_image_nodes_state": spark_image_nodes_state,
            "spark_image_node_statuses": spark_image_node_statuses,
            "spark_image_failed_nodes": spark_image_failed_nodes,
        }
