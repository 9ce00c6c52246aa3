# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helm values of the alluxio role that need a decision, kept out of Jinja so they are unit tested.

``alluxio_values_with_checksum`` stamps the values' checksum on the chart's pods. The 2.x chart hands
properties and JVM options to its pods through one ConfigMap read as environment variables at start, and
its pod templates do not change with it: without the stamp, a changed property reaches no running JVM.
Docs are in the sidecar YAML file beside this one.
"""

import copy
import hashlib
import json

from ansible.errors import AnsibleFilterError

CHECKSUM_ANNOTATION = "dataplane-alluxio-spark/config-sha256"
# The chart's components whose pods read the ConfigMap, each with its own podAnnotations value.
COMPONENTS = ("master", "worker", "proxy", "fuse")


def alluxio_values_with_checksum(values):
    """Return a copy of `values` whose components carry the SHA-256 of `values` as a pod annotation."""
    if not isinstance(values, dict):
        raise AnsibleFilterError("alluxio_values_with_checksum expects the helm values as a dict, got %s" % type(values).__name__)
    try:
        canonical = json.dumps(values, sort_keys=True, separators=(",", ":"))
    except TypeError as error:
        raise AnsibleFilterError("alluxio_values_with_checksum: the helm values are not plain data: %s" % error) from error
    checksum = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    stamped = copy.deepcopy(values)
    for component in COMPONENTS:
        section = stamped.get(component)
        if section is None:
            section = stamped[component] = {}
        elif not isinstance(section, dict):
            raise AnsibleFilterError("alluxio_values_with_checksum: '%s' must be a mapping, got %s" % (component, type(section).__name__))
        annotations = section.get("podAnnotations") or {}
        section["podAnnotations"] = dict(annotations, **{CHECKSUM_ANNOTATION: checksum})
    return stamped


class FilterModule(object):
    def filters(self):
        return {"alluxio_values_with_checksum": alluxio_values_with_checksum}
