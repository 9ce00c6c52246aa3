# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What fs stat returns for a large file: the block list once and lean, workers once, and a summary without blocks."""

import json
import os

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_fs_stat import parse_fs_stat, summarize_fs_stat
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.module_utils.alluxio_output_model import fs_stat_output
from ansible_collections.dataplane.alluxio_spark.tests.unit.plugins.module_utils.test_properties import expected_per_host, make_blocks, make_entry

SAMPLES = os.path.join(os.path.dirname(__file__), "fixtures", "samples")
BLOCK = 64 * 1024 * 1024
HOSTS = ["10.200.0.11", "10.200.0.12", "10.200.0.13"]


def read(name):
    with open(os.path.join(SAMPLES, name)) as handle:
        return handle.read()


def one_terabyte(blocks=16384):
    entry = make_entry("/data/one-terabyte.bin", make_blocks(1, blocks, HOSTS, BLOCK), BLOCK)
    return entry, fs_stat_output(entry, "2.9")


def test_the_block_list_is_returned_once():
    entry, text = one_terabyte(64)
    result = parse_fs_stat(text)
    assert set(result) == {"exists", "path", "file", "more_files", "worker_hosts"}
    assert result["more_files"] == []
    assert "block_ids" not in result["file"]  # the ids are in the block list
    assert json.dumps(result).count(str(entry["blocks"][5]["id"])) == 1


def test_each_block_names_its_hosts_and_the_workers_are_listed_once():
    result = parse_fs_stat(read("fs-stat_2.3_ack-doc_license-single-block.txt"))
    info = result["file"]
    assert info["blocks"] == [{"id": 16777216, "hosts": ["192.168.8.17"]}]
    assert info["workers"] == [{
        "worker_id": 8217561227881498090, "host": "192.168.8.17", "container_host": "", "rpc_port": 29999, "data_port": 29999,
        "web_port": 30000, "domain_socket_path": "", "node": "192.168.8.17", "rack": None,
    }]


def test_block_count_and_bytes_per_host_and_tier():
    entry, text = one_terabyte(300)
    info = parse_fs_stat(text)["file"]
    assert info["block_count"] == 300
    assert info["per_host"] == expected_per_host(entry["blocks"])
    assert list(info["per_host"]) == sorted(info["per_host"])
    assert sorted(w["host"] for w in info["workers"]) == sorted(info["per_host"])
    assert [b["hosts"] for b in info["blocks"]] == [list(dict.fromkeys(loc["host"] for loc in b["locations"])) for b in entry["blocks"]]


def test_a_socket_path_holding_a_bracket_still_parses():
    lines = read("fs-stat_2.3_ack-doc_license-single-block.txt").splitlines()
    lines[1] = lines[1].replace("domainSocketPath=,", "domainSocketPath=/opt/domain]}, x,")
    assert lines[1].count("/opt/domain]}, x") == 1
    info = parse_fs_stat("\n".join(lines) + "\n")["file"]
    assert info["workers"][0]["domain_socket_path"] == "/opt/domain]}, x"
    assert info["blocks"] == [{"id": 16777216, "hosts": ["192.168.8.17"]}]


def test_summary_has_the_facts_and_no_block_list():
    entry, text = one_terabyte()
    full = parse_fs_stat(text)
    summary = summarize_fs_stat(full)
    info = summary["file"]
    assert "blocks" not in info
    assert {k: v for k, v in full["file"].items() if k != "blocks"} == info
    assert (info["length"], info["block_count"]) == (16384 * BLOCK, 16384)
    assert (summary["exists"], summary["path"], summary["worker_hosts"]) == (True, "/data/one-terabyte.bin", HOSTS)
    assert len(json.dumps(summary)) < 100 * 1000
    assert "blocks" in full["file"]  # the full result is left as it was


def test_summary_of_a_missing_path_and_of_several_entries():
    assert summarize_fs_stat(parse_fs_stat('Path "/nope" does not exist.\n')) == {
        "exists": False, "path": "/nope", "file": None, "more_files": [], "worker_hosts": []}
    text = read("fs-stat_2.3_ack-doc_license-single-block.txt")
    twice = parse_fs_stat(text.replace("/LICENSE is a file path.", "/LIC* is a file path.") + text)
    assert [e["path"] for e in [twice["file"]] + twice["more_files"]] == ["/LICENSE", "/LICENSE"]
    summary = summarize_fs_stat(twice)
    assert [("blocks" in e) for e in [summary["file"]] + summary["more_files"]] == [False, False]


def test_a_directory_has_no_blocks_and_no_hosts():
    entry = make_entry("/data", [], BLOCK)
    entry["folder"] = True
    info = parse_fs_stat(fs_stat_output(entry, "2.9"))["file"]
    assert (info["block_count"], info["per_host"], info["workers"], info["blocks"]) == (0, {}, [], [])
