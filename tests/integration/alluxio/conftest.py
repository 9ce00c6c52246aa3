# -*- coding: utf-8 -*-
"""The real Alluxio 2.9.6 on the lab, deployed the way a user does it:
``ansible-playbook -i inventory/lab playbooks/alluxio.yml`` (with no extra variables, or with the one a test
module names), once per test module, and removed at its end. The image is built (or taken from the cache) and loaded into
every node first. A lab that is not up, or an image that cannot be had, is a failure, never a skip.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tests" / "integration" / "lab"))
sys.path.insert(0, str(REPO / ".collections"))
import labkit  # noqa: E402

NAMESPACE = "alluxio"
IMAGE = "lab/alluxio:2.9.6"
FIGURES = REPO / "tests" / "output" / "alluxio-figures.json"


def playbook(*extra: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """ansible-playbook -i inventory/lab playbooks/alluxio.yml EXTRA..., from the repository root."""
    return labkit.playbook("alluxio.yml", *extra, timeout=timeout)


def in_master(*args: str) -> str:
    """A command's stdout in the master container."""
    return labkit.kubectl("-n", NAMESPACE, "exec", "alluxio-master-0", "-c", "alluxio-master", "--", *args).stdout


def pods() -> list[dict]:
    """The release's pods, less those already terminating (a worker replaced by a redeploy lingers a while)."""
    return [pod for pod in labkit.kubectl_json("-n", NAMESPACE, "get", "pods")["items"]
            if not pod["metadata"].get("deletionTimestamp")]


def worker_read_counters() -> dict[str, dict[str, int]]:
    """Each worker's own read counters by node, exact, from its metrics servlet (the master's report rounds to
    0.01 MB and lags a heartbeat behind). The image has no HTTP client; bash's /dev/tcp is enough for one GET."""
    get = 'exec 3<>/dev/tcp/127.0.0.1/30000 && printf "GET /metrics/json/ HTTP/1.0\\r\\n\\r\\n" >&3 && cat <&3'
    counters = {}
    for pod in pods():
        if pod["metadata"]["name"] == "alluxio-master-0":
            continue
        response = labkit.kubectl("-n", NAMESPACE, "exec", pod["metadata"]["name"], "-c", "alluxio-worker", "--",
                                  "bash", "-c", get).stdout
        headers, body = response.replace("\r\n", "\n").split("\n\n", 1)
        assert headers.startswith("HTTP/1.1 200"), headers
        metrics = json.loads(body)["counters"]
        counters[pod["spec"]["nodeName"]] = {"remote": metrics.get("Worker.BytesReadRemote", {"count": 0})["count"],
                                             "domain": metrics.get("Worker.BytesReadDomain", {"count": 0})["count"]}
    return counters


def record_figure(name: str, value) -> None:
    """Figures for the README, gathered over the session into tests/output/alluxio-figures.json."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures[name] = value
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"FIGURE {name}: {value}")


@pytest.fixture(scope="module")
def playbook_vars():
    """Extra variables of the module's deployment (-e KEY=VALUE ...); none by default."""
    return []


@pytest.fixture(scope="module")
def deployed(playbook_vars):
    if not labkit.KUBECONFIG.is_file():
        pytest.fail(f"the lab is not up: {labkit.KUBECONFIG} is missing. Run: make lab-up")
    # The image goes into the nodes here too: the lab tier's own tests restart the lab, which empties them.
    subprocess.run(["bash", str(REPO / "tests" / "images" / "alluxio" / "load-into-lab.sh")], check=True, timeout=1800)
    for node in labkit.NODES:
        if labkit.node_image_id(node, IMAGE) is None:
            pytest.fail(f"{node} has no {IMAGE} after tests/images/alluxio/load-into-lab.sh")
    started = time.monotonic()
    done = playbook(*playbook_vars)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    record_figure("alluxio_ready_seconds" + ("_short_circuit" if playbook_vars else ""), round(time.monotonic() - started, 1))
    yield done.stdout
    removed = playbook("-e", "alluxio_state=absent", *playbook_vars)
    assert removed.returncode == 0, removed.stdout[-4000:]
