# -*- coding: utf-8 -*-
"""Shared set-up of the stand-in tests: where the repository, the stand-ins, helm and the lab are.

The collection is imported from ``<repo>/.collections`` (made by ``make setup``), so the tests
parse the stand-ins' output with the same parsers the modules use.
"""

import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
STANDINS = REPO / "tests" / "standins"

try:
    import ansible_collections.dataplane.alluxio_spark  # noqa: F401  # pylint: disable=unused-import
except ImportError:
    sys.path.insert(0, str(REPO / ".collections"))


def helm_binary():
    """helm from the repository's venv (``make setup`` puts it there), else from PATH."""
    venv_helm = REPO / ".venv" / "bin" / "helm"
    if venv_helm.is_file():
        return str(venv_helm)
    return shutil.which("helm") or "helm"


def lab_kubeconfig():
    return Path(os.environ.get("LAB_KUBECONFIG", str(REPO / "inventory" / "lab" / "kubeconfig")))
