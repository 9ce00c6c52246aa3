# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module's main() in this process, as Ansible would, and returns its JSON result."""

import json

import pytest
from ansible.module_utils.common import warnings
from ansible.module_utils.testing import patch_module_args


def run_module(module, args, capsys, check_mode=False):
    # Warnings are process-wide: without this, one module's warning shows up in the next module's result.
    warnings._global_warnings.clear()  # pylint: disable=protected-access
    warnings._global_deprecations.clear()  # pylint: disable=protected-access
    if check_mode:
        args = dict(args, _ansible_check_mode=True)
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)
