# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode on a cluster where nothing is installed yet: it reports the changes and makes none."""

import re

import pytest
from test_role_checks import kubectl, run_role

NAMESPACES = {"alluxio": ["alluxio"], "spark_operator": ["spark-operator", "spark-jobs"]}


@pytest.mark.parametrize("role", sorted(NAMESPACES))
def test_check_mode_on_a_fresh_cluster(role):
    for namespace in NAMESPACES[role]:
        assert kubectl("get", "namespace", namespace).returncode != 0, "%s is left from an earlier run" % namespace
    rc, out = run_role(role, check=True)
    assert rc == 0, out[-3000:]
    changed = int(re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)", out).group(1))
    assert changed >= 2  # the namespace(s) and the helm release, at least
    assert "Install or upgrade the helm release] ***\nchanged: [localhost]" in out
    for namespace in NAMESPACES[role]:
        assert kubectl("get", "namespace", namespace).returncode != 0  # nothing was created
    assert kubectl("get", "nodes", "-l", "alluxio=true", "-o", "name").stdout == ""
