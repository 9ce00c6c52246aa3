"""The generated inventory: Ansible manages the three nodes over real SSH, each a distinct host."""

from __future__ import annotations

import yaml
from labkit import INVENTORY, NODES, RUNTIMES, STATE, run_ansible


def test_inventory_describes_the_nodes(lab):
    hosts = yaml.safe_load((INVENTORY / "hosts.yml").read_text())["lab_nodes"]
    assert sorted(hosts["hosts"]) == sorted(NODES)
    for node, ip in NODES.items():
        host = hosts["hosts"][node]
        assert host["ansible_host"] == ip
        assert host["container_runtime"] == RUNTIMES[node]
        if RUNTIMES[node] == "docker":
            assert host["container_runtime_socket"] == "unix:///run/docker.sock"
            assert host["lab_docker_host_socket"] == str(STATE / "nodes" / node / "run" / "docker.sock")
        else:
            assert host["container_runtime_socket"] == "unix:///run/containerd/containerd.sock"
            assert host["lab_containerd_host_socket"] == str(STATE / "nodes" / node / "run" / "containerd" / "containerd.sock")
    assert hosts["hosts"]["lab-n3"]["container_runtime"] == "containerd"
    assert hosts["vars"]["ansible_user"] == "root"
    group_vars = yaml.safe_load((INVENTORY / "group_vars" / "lab_nodes.yml").read_text())
    assert group_vars["ansible_python_interpreter"] == "/usr/bin/python3"


def test_ansible_ping_all_nodes(lab):
    result = run_ansible("-i", str(INVENTORY), "all", "-m", "ansible.builtin.ping")
    assert result.returncode == 0, result.stdout + result.stderr
    for node in NODES:
        assert f"{node} | SUCCESS" in result.stdout


def test_each_node_is_its_own_host(lab):
    """Hostname, address and runtime differ per node: the inventory hosts are really separate."""
    # A Docker node's engine names its node and data root; a containerd node's containerd answers on the
    # node's own /run (a Docker node's /run/containerd has no socket: dockerd runs its containerd elsewhere).
    cmd = ("echo $(hostname) $(ip -4 -o addr show eth0 | awk '{print $4}')"
           " $(docker info 2>/dev/null | sed -n 's/^ Name: //p; s/^ Docker Root Dir: //p')"
           " $(ctr version 2>/dev/null | sed -n '/^Server:/,$ s/^ *Version: *//p')")
    result = run_ansible("-i", str(INVENTORY), "lab_nodes", "-m", "ansible.builtin.shell", "-a", cmd)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for node, ip in NODES.items():
        # Ad-hoc output: "<host> | CHANGED | rc=0 >>" then the command's stdout.
        header = lines.index(f"{node} | CHANGED | rc=0 >>")
        if RUNTIMES[node] == "docker":
            assert lines[header + 1] == f"{node} {ip}/24 {node} {STATE}/nodes/{node}/docker"
        else:
            assert lines[header + 1] == f"{node} {ip}/24 1.6.20~ds1"


def test_facts_report_the_lab_address(lab):
    result = run_ansible("-i", str(INVENTORY), "lab-n3", "-m", "ansible.builtin.setup",
                         "-a", "gather_subset=network filter=ansible_default_ipv4")
    assert result.returncode == 0, result.stdout + result.stderr
    facts = yaml.safe_load(result.stdout.split("=>", 1)[1])  # ansible.cfg: callback_result_format = yaml
    assert facts["ansible_facts"]["ansible_default_ipv4"]["address"] == "10.200.0.13"
