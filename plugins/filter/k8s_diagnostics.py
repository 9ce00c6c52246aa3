# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn Kubernetes objects into what the roles report or look up.

``k8s_pod_report``: one readable line about a namespace's pods and recent events, for a role that
timed out waiting. ``helm_manifest_objects``: the objects of a helm release's manifest, so a role
finds a chart's object names instead of re-implementing the chart's name helpers.
``k8s_role_access``: which Roles bound to a service account grant a verb on a resource.
Docs are in the sidecar YAML files beside this one.
"""

import yaml
from ansible.errors import AnsibleFilterError


def _container_state(status):
    state = status.get("state") or {}
    if "waiting" in state:
        return (state["waiting"] or {}).get("reason") or "waiting"
    if "terminated" in state:
        return "terminated (%s)" % ((state["terminated"] or {}).get("reason") or "exit %s" % (state["terminated"] or {}).get("exitCode"))
    return "ready" if status.get("ready") else "not ready"


def k8s_pod_report(pods, events, limit=10):
    """'Pods: <pod> on <node>: <phase> (<container> <state>, ...); ... Recent events: ...'."""
    if not isinstance(pods, list) or not isinstance(events, list):
        raise AnsibleFilterError("k8s_pod_report: expected lists of Pod and Event resources")
    pod_lines = []
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        status = pod.get("status") or {}
        containers = [
            "%s %s" % (c["name"], _container_state(c))
            for c in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or [])
        ]
        pod_lines.append(
            "%s on %s: %s (%s)"
            % (
                pod["metadata"]["name"],
                (pod.get("spec") or {}).get("nodeName") or "(unscheduled)",
                status.get("phase", "Unknown"),
                ", ".join(containers) or "no containers",
            )
        )

    def when(event):
        # Events carry lastTimestamp, or only eventTime (events.k8s.io), or neither.
        return event.get("lastTimestamp") or event.get("eventTime") or event["metadata"].get("creationTimestamp") or ""

    event_lines = [
        "%s %s %s/%s: %s"
        % (e.get("type", ""), e.get("reason", ""), e["involvedObject"].get("kind"), e["involvedObject"].get("name"), (e.get("message") or "").strip())
        for e in sorted(events, key=when)[-int(limit):]
    ]
    return "Pods: %s. Recent events: %s" % ("; ".join(pod_lines) or "none", "; ".join(event_lines) or "none")


def helm_manifest_objects(manifest, kind=None):
    """[{kind, name, namespace, labels, subjects}] of a release manifest, optionally of one kind.

    The manifest is `helm get manifest`'s text, or the list of objects kubernetes.core.helm_info returns.
    """
    if manifest is None:
        return []
    if isinstance(manifest, str):
        try:
            documents = list(yaml.safe_load_all(manifest))
        except yaml.YAMLError as exc:
            raise AnsibleFilterError("helm_manifest_objects: the manifest is not YAML: %s" % exc) from exc
    elif isinstance(manifest, list):
        documents = manifest  # kubernetes.core.helm_info parses it already
    else:
        raise AnsibleFilterError("helm_manifest_objects: expected the manifest as text or a list of objects, got %s" % type(manifest).__name__)
    objects = []
    for document in documents:
        if not isinstance(document, dict) or "kind" not in document:
            continue
        if kind is not None and document["kind"] != kind:
            continue
        metadata = document.get("metadata") or {}
        objects.append(
            {
                "kind": document["kind"],
                "name": metadata.get("name"),
                "namespace": metadata.get("namespace"),
                "labels": metadata.get("labels") or {},
                "subjects": document.get("subjects") or [],
            }
        )
    return objects


def _grants(rule, verb, resource):
    verbs = rule.get("verbs") or []
    resources = rule.get("resources") or []
    groups = rule.get("apiGroups") or []
    return ("" in groups or "*" in groups) and (verb in verbs or "*" in verbs) and (resource in resources or "*" in resources)


def k8s_role_access(roles, bindings, service_account, verb="create", resource="pods"):
    """{bound: [roles bound to the account], granting: [those that allow verb on resource]} in one namespace."""
    bound = sorted(
        {
            binding["roleRef"]["name"]
            for binding in bindings or []
            if binding.get("roleRef", {}).get("kind") == "Role"
            and any(s.get("kind") == "ServiceAccount" and s.get("name") == service_account for s in binding.get("subjects") or [])
        }
    )
    granting = sorted(
        role["metadata"]["name"]
        for role in roles or []
        if role["metadata"]["name"] in bound and any(_grants(rule, verb, resource) for rule in role.get("rules") or [])
    )
    return {"bound": bound, "granting": granting}


class FilterModule(object):
    def filters(self):
        return {
            "k8s_pod_report": k8s_pod_report,
            "helm_manifest_objects": helm_manifest_objects,
            "k8s_role_access": k8s_role_access,
        }
