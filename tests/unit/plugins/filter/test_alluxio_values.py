# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checksum the alluxio role stamps on the chart's pods, so that a changed property restarts the JVMs."""

import hashlib
import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.filter.alluxio_values import alluxio_values_with_checksum

KEY = "dataplane-alluxio-spark/config-sha256"
VALUES = {
    "properties": {"alluxio.master.worker.timeout": "20s"},
    "worker": {"nodeSelector": {"alluxio": "true"}, "podAnnotations": {"team": "data"}},
    "master": {"resources": {"requests": {"cpu": "50m"}}},
}


def checksums(values):
    return {component: values[component]["podAnnotations"][KEY] for component in ("master", "worker", "proxy", "fuse")}


def test_every_pod_carries_the_sha256_of_the_canonical_values():
    expected = hashlib.sha256(json.dumps(VALUES, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    stamped = alluxio_values_with_checksum(VALUES)
    assert checksums(stamped) == dict.fromkeys(("master", "worker", "proxy", "fuse"), expected)
    # the rest is untouched, annotations set by the user included, and the input is not modified
    assert stamped["worker"] == {"nodeSelector": {"alluxio": "true"}, "podAnnotations": {"team": "data", KEY: expected}}
    assert stamped["master"]["resources"] == {"requests": {"cpu": "50m"}}
    assert stamped["proxy"] == {"podAnnotations": {KEY: expected}}
    assert "podAnnotations" not in VALUES["master"]


def test_a_changed_property_changes_the_checksum_and_key_order_does_not():
    changed = dict(VALUES, properties={"alluxio.master.worker.timeout": "30s"})
    reordered = dict(reversed(list(VALUES.items())))
    assert checksums(alluxio_values_with_checksum(changed))["worker"] != checksums(alluxio_values_with_checksum(VALUES))["worker"]
    assert checksums(alluxio_values_with_checksum(reordered)) == checksums(alluxio_values_with_checksum(VALUES))


def test_the_same_values_give_the_same_annotations():
    # The role stamps freshly rendered values on every run; the same inputs give the same annotation.
    assert alluxio_values_with_checksum(VALUES) == alluxio_values_with_checksum(json.loads(json.dumps(VALUES)))


@pytest.mark.parametrize(
    "values, message",
    [
        (["not", "a", "dict"], "expects the helm values as a dict, got list"),
        ({"worker": "yes"}, "'worker' must be a mapping, got str"),
        ({"properties": {"x": {1, 2}}}, "the helm values are not plain data"),
    ],
)
def test_bad_values_are_refused_with_the_reason(values, message):
    with pytest.raises(AnsibleFilterError, match=message):
        alluxio_values_with_checksum(values)
