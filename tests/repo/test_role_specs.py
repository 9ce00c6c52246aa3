# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role's meta/argument_specs.yml documents exactly its defaults, with the same defaults."""

import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(d for d in os.listdir(os.path.join(ROOT, "roles")) if not d.startswith("."))


def load(role, *path):
    with open(os.path.join(ROOT, "roles", role, *path)) as handle:
        return yaml.safe_load(handle)


def test_the_roles_exist():
    assert ROLES == ["alluxio", "spark_image", "spark_operator"]


@pytest.mark.parametrize("role", ROLES)
def test_spec_matches_defaults(role):
    defaults = load(role, "defaults", "main.yml")
    options = load(role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert sorted(options) == sorted(defaults)
    for name, spec in options.items():
        assert name.startswith(role + "_"), name
        assert spec["default"] == defaults[name], name
        assert spec.get("description"), name
