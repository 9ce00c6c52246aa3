"""Lab lifecycle, run last: recovery after a crash, a clean `down`, and a cached `up` under two minutes.

It restarts the lab (twice), so it is named to run after every other lab test and leaves the lab up.
Set LAB_TEST_LIFECYCLE=0 to leave it out of a quick local run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from labkit import INVENTORY, NODES, REPO, STATE, kubectl_json

LAB_SH = REPO / "tests" / "lab" / "lab.sh"

pytestmark = pytest.mark.skipif(os.environ.get("LAB_TEST_LIFECYCLE") == "0",
                                reason="LAB_TEST_LIFECYCLE=0: lifecycle test left out on request")


def lab_sh(*args: str, timeout: int = 900):
    return subprocess.run(["bash", str(LAB_SH), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False)


def recorded_pid(name: str) -> int:
    return int((STATE / "pids" / f"{name}.pid").read_text().split()[0])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def leftovers() -> list[str]:
    """What a lab could leave on the machine, checked independently of lab.sh."""
    found = []
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False).stdout.split()
    found += [f"netns {n}" for n in netns if re.fullmatch(r"lab-(ctl|n\d+)", n)]
    if subprocess.run(["ip", "link", "show", "lab-host0"], capture_output=True, check=False).returncode == 0:
        found.append("host interface lab-host0")
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        mountpoint = line.split()[4]
        if mountpoint.startswith(str(STATE)) or re.match(r"/run/netns/lab-", mountpoint):
            found.append(f"mount {mountpoint}")
    found += [f"cgroup {p}" for p in Path("/sys/fs/cgroup").glob("*/lab-*")]
    if (STATE / "pids").is_dir():
        for pid_file in (STATE / "pids").glob("*.pid"):
            if alive(int(pid_file.read_text().split()[0])):
                found.append(f"process {pid_file.stem}")
    # The committed role settings (group_vars/all/*.yml) stay; every generated file must go.
    generated = [INVENTORY / "kubeconfig", INVENTORY / "hosts.yml", INVENTORY / "group_vars" / "lab_nodes.yml",
                 INVENTORY / "group_vars" / "all" / "lab_connection.yml"]
    found += [f"inventory file {path}" for path in generated if path.exists()]
    return found


def assert_up():
    nodes = kubectl_json("get", "nodes")["items"]
    ready = {n["metadata"]["name"]: {c["type"]: c["status"] for c in n["status"]["conditions"]}["Ready"]
             for n in nodes}
    assert ready == dict.fromkeys(NODES, "True")


def test_up_recovers_from_a_crashed_lab(lab):
    # Simulate a crash: the API server and one kubelet die without lab.sh knowing.
    victims = [recorded_pid("kube-apiserver"), recorded_pid("lab-n1-kubelet")]
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in victims) and time.monotonic() < deadline:
        time.sleep(0.1)
    status = lab_sh("status")
    assert status.returncode == 1, status.stdout
    assert "kube-apiserver             NOT RUNNING" in status.stdout

    up = lab_sh("up")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "tearing it down first" in up.stderr
    assert_up()


def test_down_leaves_the_machine_as_found(lab):
    down = lab_sh("down")
    assert down.returncode == 0, down.stdout + down.stderr
    assert "lab down: removed" in down.stdout
    assert leftovers() == []
    status = lab_sh("status")
    assert status.returncode == 3, status.stdout
    assert "lab state: down" in status.stdout
    again = lab_sh("down")
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""


def test_cached_up_builds_nothing_and_leaves_the_lab_up(lab):
    # How long it takes is a figure for the README (figures.json), not a pass/fail on a busy machine.
    up = lab_sh("up")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "no cached build" not in up.stderr
    assert_up()
    figures = json.loads((STATE / "figures.json").read_text())
    assert figures["last"]["kind"] == "cached" and figures["last"]["build_seconds"] == 0
    print("cached lab up: %.0f s" % figures["last"]["total_seconds"])

    # A second up on a healthy lab only reports.
    again = lab_sh("up")
    assert again.returncode == 0 and "already up and healthy" in again.stderr
