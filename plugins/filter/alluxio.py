# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that parse Alluxio CLI output and Spark word-count logs users already have.

Thin wrappers over the same parsers the alluxio_*_info modules use; docs are in the sidecar
YAML files beside this one.
"""

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_capacity import parse_capacity
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat, summarize_fs_stat
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_metrics import parse_metrics
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError
from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._spark_wordcount import parse_wordcount

display = Display()


def _filter(parse, name):
    def run(text, **options):
        try:
            return parse(text, warn=display.warning, **options)
        except AlluxioParseError as exc:
            raise AnsibleFilterError("%s: %s" % (name, exc)) from exc

    run.__name__ = name
    return run


def _fs_stat(text, warn, summary=False):
    result = parse_fs_stat(text, warn=warn)
    return summarize_fs_stat(result) if summary else result


class FilterModule(object):
    def filters(self):
        return {
            "alluxio_fs_stat": _filter(_fs_stat, "alluxio_fs_stat"),
            "alluxio_metrics": _filter(parse_metrics, "alluxio_metrics"),
            "alluxio_capacity": _filter(parse_capacity, "alluxio_capacity"),
            "spark_wordcount": _filter(parse_wordcount, "spark_wordcount"),
        }
