# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import os

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.filter.alluxio import FilterModule

FILTERS = FilterModule().filters()
SAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "module_utils", "fixtures", "samples")


def sample(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def test_filter_names():
    assert sorted(FILTERS) == ["alluxio_capacity", "alluxio_fs_stat", "alluxio_metrics", "spark_wordcount"]


def test_filters_parse_like_the_modules():
    assert FILTERS["alluxio_fs_stat"](sample("fs-stat_2.2.1-enterprise_seed-doc_license-single-block.txt"))["worker_hosts"] == ["192.168.8.17"]
    metrics = FILTERS["alluxio_metrics"](sample("report-metrics_2.2.1-enterprise_seed-doc_network-only.txt"))
    assert (metrics["bytes_read"]["network"], metrics["bytes_read"]["domain_socket"]) == (297441, 0)
    capacity = FILTERS["alluxio_capacity"](sample("report-capacity_2.2.1-enterprise_seed-doc_three-workers-mem.txt"))
    assert [w["capacity_bytes"]["MEM"] for w in capacity["workers"]] == [1073741824] * 3
    assert FILTERS["spark_wordcount"]("x: 1\n22/01/01 00:00:00 INFO A: 3\ny: 2\n") == {"x": 1, "y": 2}


@pytest.mark.parametrize("name", ["alluxio_fs_stat", "alluxio_metrics", "alluxio_capacity"])
def test_filter_errors_are_ansible_errors(name):
    with pytest.raises(AnsibleFilterError) as caught:
        FILTERS[name]("")
    assert str(caught.value).startswith("%s: Cannot parse the output of 'alluxio " % name)


def test_wordcount_filter_fails_on_a_log_without_counts():
    with pytest.raises(AnsibleFilterError) as caught:
        FILTERS["spark_wordcount"]("")
    assert str(caught.value) == "spark_wordcount: Cannot parse the output of 'spark word count (driver log)' at the output: the output is empty"


def test_fs_stat_filter_summary():
    text = sample("fs-stat_2.3_ack-doc_license-single-block.txt")
    full = FILTERS["alluxio_fs_stat"](text)
    summary = FILTERS["alluxio_fs_stat"](text, summary=True)
    assert "blocks" in full["file"] and "blocks" not in summary["file"]
    assert summary["file"]["per_host"]["192.168.8.17"]["bytes"] == 27040
