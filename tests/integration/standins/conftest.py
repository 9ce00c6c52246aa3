# -*- coding: utf-8 -*-
"""Shared set-up of the spark-operator stand-in tests: where the repository, the stand-in, helm and
the lab are.
"""

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
STANDINS = REPO / "tests" / "standins"


def helm_binary():
    """helm from the repository's venv (``make setup`` puts it there), else from PATH."""
    venv_helm = REPO / ".venv" / "bin" / "helm"
    if venv_helm.is_file():
        return str(venv_helm)
    return shutil.which("helm") or "helm"


def lab_kubeconfig():
    return Path(os.environ.get("LAB_KUBECONFIG", str(REPO / "inventory" / "lab" / "kubeconfig")))
