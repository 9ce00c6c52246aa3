# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spark_image role's filters: node runtime, containerd names, ctr listings, docker layer chains, the report.

Fixtures (fixtures/PROVENANCE.md): a Node of the lab cluster (Kubernetes 1.20.2, Docker) and the
output of a real containerd 1.6.20's ``ctr images ls``.
"""

import copy
import json
import os

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dataplane.alluxio_spark.plugins.filter.spark_image import (
    FilterModule,
    spark_image_containerd_ref,
    spark_image_ctr_target,
    spark_image_docker_chains,
    spark_image_docker_image,
    spark_image_failed_nodes,
    spark_image_node_runtime,
    spark_image_node_runtime_of,
    spark_image_node_statuses,
    spark_image_nodes_state,
    spark_image_report,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
CTR_DIGEST = "sha256:50330aba34ec67773b015a13587deb5916e6a5f9fd3bd1047117651011a7a503"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
HOW = "set the host variable spark_image_node_runtime to one of docker, containerd for this node to override"


def fixture_text(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture
def lab_node():
    return json.loads(fixture_text("nodes_k8s-1.20.2_lab_docker.json"))


@pytest.fixture
def ctr_ls():
    return fixture_text("ctr-images-ls_containerd-1.6.20.txt")


def with_runtime(node, value):
    changed = copy.deepcopy(node)
    changed["status"]["nodeInfo"]["containerRuntimeVersion"] = value
    return changed


def test_the_module_lists_its_filters():
    assert sorted(FilterModule().filters()) == [
        "spark_image_containerd_ref",
        "spark_image_ctr_target",
        "spark_image_docker_chains",
        "spark_image_docker_image",
        "spark_image_failed_nodes",
        "spark_image_node_runtime",
        "spark_image_node_runtime_of",
        "spark_image_node_statuses",
        "spark_image_nodes_state",
        "spark_image_report",
    ]


# --- spark_image_node_runtime


def test_node_runtime_of_the_real_lab_docker_node(lab_node):
    # Debian's docker.io package reports its packaging suffix; the version is passed on as the node says it.
    assert lab_node["status"]["nodeInfo"]["containerRuntimeVersion"] == "docker://20.10.24+dfsg1"
    assert spark_image_node_runtime(lab_node) == {"runtime": "docker", "version": "20.10.24+dfsg1", "node": "lab-n1"}


def test_node_runtime_of_a_containerd_node(lab_node):
    # No real containerd node exists to capture: this is the real lab (Docker) node with only its
    # containerRuntimeVersion changed to what a containerd 1.6.20 kubelet reports.
    node = with_runtime(lab_node, "containerd://1.6.20")
    assert spark_image_node_runtime(node) == {"runtime": "containerd", "version": "1.6.20", "node": "lab-n1"}


@pytest.mark.parametrize("override, version", [("docker", "20.10.24+dfsg1"), ("containerd", None)])
def test_node_runtime_override_wins_and_keeps_the_version_only_when_the_scheme_matches(lab_node, override, version):
    assert spark_image_node_runtime(lab_node, override) == {"runtime": override, "version": version, "node": "lab-n1"}


@pytest.mark.parametrize("override", [None, ""])
def test_node_runtime_empty_override_is_ignored(lab_node, override):
    assert spark_image_node_runtime(lab_node, override)["runtime"] == "docker"


def test_node_runtime_override_rescues_an_unsupported_or_missing_runtime(lab_node):
    assert spark_image_node_runtime(with_runtime(lab_node, "cri-o://1.28.1"), "containerd") == {
        "runtime": "containerd", "version": None, "node": "lab-n1"}
    node = copy.deepcopy(lab_node)
    del node["status"]["nodeInfo"]["containerRuntimeVersion"]
    assert spark_image_node_runtime(node, "docker") == {"runtime": "docker", "version": None, "node": "lab-n1"}


@pytest.mark.parametrize("value", ["cri-o://1.28.1", "remote://unix:///run/runtime.sock", "docker"])
def test_node_runtime_unsupported_runtime_names_node_value_and_override(lab_node, value):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_node_runtime(with_runtime(lab_node, value))
    assert str(error.value) == (
        "spark_image_node_runtime: node 'lab-n1': container runtime %r is not supported (only docker, containerd); %s" % (value, HOW)
    )


@pytest.mark.parametrize("value", ["", None, "missing"])
def test_node_runtime_missing_runtime(lab_node, value):
    node = with_runtime(lab_node, value)
    if value == "missing":
        del node["status"]["nodeInfo"]["containerRuntimeVersion"]
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_node_runtime(node)
    assert str(error.value) == (
        "spark_image_node_runtime: node 'lab-n1': its status.nodeInfo.containerRuntimeVersion is missing or empty; " + HOW
    )


def test_node_runtime_bad_override_and_bad_input(lab_node):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_node_runtime(lab_node, "podman")
    assert str(error.value) == (
        "spark_image_node_runtime: node 'lab-n1': spark_image_node_runtime='podman' is not a runtime this collection supports "
        "(docker, containerd)"
    )
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_node_runtime([lab_node])
    assert str(error.value) == "spark_image_node_runtime: expected a Kubernetes Node object (a dict), got list"


# --- spark_image_containerd_ref


@pytest.mark.parametrize("ref, full", [
    ("lab/spark:4.1.4", "docker.io/lab/spark:4.1.4"),
    ("spark", "docker.io/library/spark:latest"),
    ("spark:4.1.4", "docker.io/library/spark:4.1.4"),
    ("docker.io/spark", "docker.io/library/spark:latest"),
    ("index.docker.io/lab/spark:1", "docker.io/lab/spark:1"),
    ("docker.io/lab/spark:4.1.4", "docker.io/lab/spark:4.1.4"),
    ("registry.lab:5000/x/spark:1", "registry.lab:5000/x/spark:1"),
    ("registry.lab:5000/x/spark", "registry.lab:5000/x/spark:latest"),
    ("localhost/x:1", "localhost/x:1"),
    ("localhost:5000/x", "localhost:5000/x:latest"),
    ("localhost:5000", "docker.io/library/localhost:5000"),  # no slash: a repository "localhost" tagged 5000, as in Docker
    ("lab/spark-operator_x.y__z:v1.2.3-RC_1", "docker.io/lab/spark-operator_x.y__z:v1.2.3-RC_1"),
    ("spark@" + CTR_DIGEST, "docker.io/library/spark@" + CTR_DIGEST),
    ("lab/spark:4.1.4@" + CTR_DIGEST, "docker.io/lab/spark:4.1.4@" + CTR_DIGEST),
    ("Registry.Lab:5000/x/spark:1", "Registry.Lab:5000/x/spark:1"),  # a registry's host name may have capitals
])
def test_containerd_ref_normalizes_like_docker(ref, full):
    assert spark_image_containerd_ref(ref) == full


@pytest.mark.parametrize("ref, why", [
    ("", "the image reference is empty"),
    ("Lab/spark:1", "invalid image reference 'Lab/spark:1': repository name must be lowercase"),
    ("lab/Spark", "invalid image reference 'lab/Spark': repository name must be lowercase"),
    ("registry.lab:5000/X/spark", "invalid image reference 'registry.lab:5000/X/spark': repository name must be lowercase"),
    ("lab/spark:", "invalid image reference 'lab/spark:': bad tag ''"),
    ("lab/spark:-x", "invalid image reference 'lab/spark:-x': bad tag '-x'"),
    ("lab//spark", "invalid image reference 'lab//spark': bad repository path component ''"),
    ("lab/spark ", "invalid image reference 'lab/spark ': bad repository path component 'spark '"),
    (":1", "invalid image reference ':1': no repository name"),
    ("spark@sha256:abc", "invalid image reference 'spark@sha256:abc': bad digest 'sha256:abc'"),
    ("bad_host.lab:x/spark", "invalid image reference 'bad_host.lab:x/spark': bad registry 'bad_host.lab:x'"),
    ("x/" + "a" * 250, "invalid image reference 'x/%s': repository name longer than 255 characters" % ("a" * 250)),
])
def test_containerd_ref_rejects_invalid_references(ref, why):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_containerd_ref(ref)
    assert str(error.value) == "spark_image_containerd_ref: " + why


def test_containerd_ref_rejects_a_non_string():
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_containerd_ref(None)
    assert str(error.value) == "spark_image_containerd_ref: expected an image reference (a string), got NoneType"


# --- spark_image_ctr_target


@pytest.mark.parametrize("ref, listed", [
    ("lab/spark:4.1.4", "docker.io/lab/spark:4.1.4"),
    ("docker.io/lab/spark:4.1.4", "docker.io/lab/spark:4.1.4"),
    ("registry.lab:5000/x/spark:1", "registry.lab:5000/x/spark:1"),
])
def test_ctr_target_finds_the_row_of_the_real_listing(ctr_ls, ref, listed):
    # The real listing's SIZE column is "803.0 B", with a space inside.
    assert "803.0 B" in ctr_ls
    assert spark_image_ctr_target(ctr_ls, ref) == {"ref": listed, "media_type": OCI_MANIFEST, "digest": CTR_DIGEST}


@pytest.mark.parametrize("ref", ["spark", "lab/spark:4.1.5", "lab/spark", "registry.lab:5000/x/spark:2"])
def test_ctr_target_absent_is_none(ctr_ls, ref):
    assert spark_image_ctr_target(ctr_ls, ref) is None


def test_ctr_target_of_a_listing_with_only_the_header(ctr_ls):
    assert spark_image_ctr_target(ctr_ls.splitlines()[0] + "\n", "lab/spark:4.1.4") is None


def test_ctr_target_skips_bare_digest_rows_and_matches_short_names_as_listed(ctr_ls):
    # Rows made by hand from the real ones: a CRI digest-only entry, and a short name as ctr import --base-name leaves it.
    lines = ctr_ls.splitlines()
    bare = lines[1].replace("docker.io/lab/spark:4.1.4", CTR_DIGEST, 1)
    short = lines[1].replace("docker.io/lab/spark:4.1.4", "lab/other:1     ", 1)
    text = "\n".join([lines[0], bare, short] + lines[1:]) + "\n"
    assert spark_image_ctr_target(text, "lab/spark:4.1.4")["ref"] == "docker.io/lab/spark:4.1.4"
    assert spark_image_ctr_target(text, "docker.io/lab/other:1") == {"ref": "lab/other:1", "media_type": OCI_MANIFEST, "digest": CTR_DIGEST}


@pytest.mark.parametrize("text, why", [
    ("", "not the output of ctr images ls: the first line should start with REF TYPE DIGEST, got ''"),
    ("ctr: failed to dial\n", "not the output of ctr images ls: the first line should start with REF TYPE DIGEST, got 'ctr: failed to dial'"),
    ("REF TYPE DIGEST SIZE PLATFORMS LABELS\ndocker.io/lab/spark:4.1.4\n",
     "line 2 of ctr images ls is not REF TYPE DIGEST ...: 'docker.io/lab/spark:4.1.4'"),
    ("REF TYPE DIGEST SIZE PLATFORMS LABELS\nx y 803.0 B\n", "line 2 of ctr images ls is not REF TYPE DIGEST ...: 'x y 803.0 B'"),
])
def test_ctr_target_rejects_text_that_is_not_a_listing(text, why):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_ctr_target(text, "lab/spark:4.1.4")
    assert str(error.value) == "spark_image_ctr_target: " + why


def test_ctr_target_rejects_an_invalid_reference(ctr_ls):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_ctr_target(ctr_ls, "Lab/spark")
    assert str(error.value) == "spark_image_ctr_target: invalid image reference 'Lab/spark': repository name must be lowercase"


# --- spark_image_docker_chains

LAYER_A = "sha256:" + "a" * 64
LAYER_B = "sha256:" + "b" * 64
LAYER_C = "sha256:" + "c" * 64


def inspect(image_id, *layers):
    # The shape of `docker image inspect`: RootFS.Type "layers" and the diff IDs bottom first.
    return {"Id": image_id, "RepoTags": [], "RootFS": {"Type": "layers", "Layers": list(layers)}}


def test_docker_chains_lists_each_distinct_chain_in_order():
    images = [
        inspect("sha256:1", LAYER_A, LAYER_B),
        inspect("sha256:2", LAYER_A),
        inspect("sha256:1", LAYER_A, LAYER_B),  # the same image under a second tag
        inspect("sha256:3", LAYER_A, LAYER_B, LAYER_C),
    ]
    assert spark_image_docker_chains(images) == [[LAYER_A, LAYER_B], [LAYER_A], [LAYER_A, LAYER_B, LAYER_C]]


def test_docker_chains_tolerates_images_without_rootfs_or_layers():
    images = [{"Id": "sha256:4"}, {"Id": "sha256:5", "RootFS": None}, {"Id": "sha256:6", "RootFS": {"Type": "layers"}},
              inspect("sha256:7"), inspect("sha256:8", LAYER_C)]
    assert spark_image_docker_chains(images) == [[LAYER_C]]
    assert spark_image_docker_chains([]) == []


@pytest.mark.parametrize("value, why", [
    ({"RootFS": {}}, "expected a list of docker image inspect results, got dict"),
    (["sha256:1"], "item 0 is not a docker image inspect result (a dict) but str"),
    ([inspect("sha256:1", LAYER_A), {"Id": "sha256:9", "RootFS": {"Layers": LAYER_A}}],
     "item 1 (sha256:9): RootFS.Layers is not a list of layer digests"),
    ([{"RootFS": {"Layers": [None]}}], "item 0 (no Id): RootFS.Layers is not a list of layer digests"),
])
def test_docker_chains_rejects_what_is_not_inspect_output(value, why):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_docker_chains(value)
    assert str(error.value) == "spark_image_docker_chains: " + why


# --- spark_image_docker_image: on what lab-n1's real Docker 20.10.24 listed (../modules/fixtures/node_image_info)

ENGINE_IMAGES = os.path.join(os.path.dirname(__file__), os.pardir, "modules", "fixtures", "node_image_info",
                             "docker-image-inspect_all_docker-20.10.24.json")
ALLUXIO_ID = "sha256:0e6d6a46d9187aabeea4fd26186551a4acc4d4f5b58576594af15e06cfa951b2"
SPARK_ID = "sha256:885774da7c231e352bb101f808721ac248354eaeaafef170975b9a2ac828590d"


@pytest.fixture
def engine_images():
    with open(ENGINE_IMAGES, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.mark.parametrize("name, image_id", [
    ("lab/alluxio:2.9.6", ALLUXIO_ID),
    ("docker.io/lab/alluxio:2.9.6", ALLUXIO_ID),
    ("index.docker.io/lab/alluxio:2.9.6", ALLUXIO_ID),
    ("spark-alluxio:4.1.4-alluxio-2.9.6", SPARK_ID),
    ("docker.io/library/spark-alluxio:4.1.4-alluxio-2.9.6", SPARK_ID),
    ("k8s.gcr.io/pause:3.2", "sha256:e0203a41908d7f9670137095acea22f67a980252f109459d5de6f4e6721be36f"),
    (SPARK_ID, SPARK_ID),
    ("885774da7c23", SPARK_ID),
    ("0e6d6a46d9187aabeea4fd26186551a4acc4d4f5b58576594af15e06cfa951b2", ALLUXIO_ID),
])
def test_docker_image_picks_what_docker_resolves_the_name_to(engine_images, name, image_id):
    assert spark_image_docker_image(engine_images, name)["Id"] == image_id


@pytest.mark.parametrize("name", ["lab/alluxio", "lab/alluxio:2.9.7", "alluxio:2.9.6", "registry.lab:5000/lab/alluxio:2.9.6",
                                  "sha256:" + "0" * 64, "885774da7c2"])
def test_docker_image_is_none_for_a_name_nothing_carries(engine_images, name):
    # "885774da7c2" has 11 hex digits: too short for an ID, so it is a repository name nobody has.
    assert spark_image_docker_image(engine_images, name) is None
    assert spark_image_docker_image([], name) is None


def test_docker_image_matches_a_digest_reference_by_digest(engine_images):
    # Loaded images carry no RepoDigests; a pulled one does (docker pull adds repo@digest): given here by hand.
    digest = "sha256:" + "d" * 64
    engine_images[0]["RepoDigests"] = ["registry.lab:5000/lab/alluxio@" + digest]
    picked = spark_image_docker_image(engine_images, "registry.lab:5000/lab/alluxio:2.9.6@" + digest)
    assert picked["Id"] == engine_images[0]["Id"]
    assert spark_image_docker_image(engine_images, "registry.lab:5000/lab/other@" + digest) is None


def test_docker_image_skips_names_it_cannot_read(engine_images):
    engine_images[0]["RepoTags"] = ["<none>:<none>"] + engine_images[0]["RepoTags"]
    assert spark_image_docker_image(engine_images, "lab/alluxio:2.9.6")["Id"] == engine_images[0]["Id"]


@pytest.mark.parametrize("images, name, why", [
    ({"Id": "sha256:1"}, "x", "expected a list of docker image inspect results (dicts)"),
    (["sha256:1"], "x", "expected a list of docker image inspect results (dicts)"),
    ([], 3, "expected an image name or ID (a string), got int"),
    ([], "Lab/Alluxio", "invalid image reference 'Lab/Alluxio': repository name must be lowercase"),
])
def test_docker_image_rejects_bad_input(images, name, why):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_docker_image(images, name)
    assert str(error.value) == "spark_image_docker_image: " + why


# --- spark_image_report


def result(runtime, status, bytes_moved=None, layers_sent=None, seconds=None, message=None):
    return {"runtime": runtime, "status": status, "bytes_moved": bytes_moved, "layers_sent": layers_sent, "seconds": seconds,
            "message": message}


def test_report_aligns_rows_by_name_and_totals():
    nodes = {
        "lab-n3": result("docker", "present", 0, 0, 0.4, "already there"),
        "lab-n1": result("docker", "loaded", 432327475, 7, 41.26),
        "lab-n2": result("containerd", "present", 0, 0, 1.0),
    }
    assert spark_image_report(nodes) == [
        "NODE    RUNTIME     STATUS       MOVED  LAYERS    TIME  MESSAGE",
        "lab-n1  docker      loaded   412.3 MiB       7  41.3 s",
        "lab-n2  containerd  present        0 B       0   1.0 s",
        "lab-n3  docker      present        0 B       0   0.4 s",
        "3 nodes: 1 loaded, 2 present, 0 failed; 412.3 MiB moved",
    ]


def test_report_shows_messages_of_failed_and_unreachable_nodes_and_counts_them():
    nodes = {
        "worker-b": result("containerd", "failed", 1536, 1, 2.0, "ctr: failed to import:\n  unexpected EOF"),
        "worker-a": result(None, "unreachable", message="Failed to connect to the host via ssh"),
        "worker-c": result("docker", "would load", None, 3),
        "worker-d": result("docker", "loaded", 3 * 1024 ** 3 + 1, 12, 301.25),
    }
    assert spark_image_report(nodes) == [
        "NODE      RUNTIME     STATUS         MOVED  LAYERS     TIME  MESSAGE",
        "worker-a  -           unreachable        -       -        -  Failed to connect to the host via ssh",
        "worker-b  containerd  failed       1.5 KiB       1    2.0 s  ctr: failed to import: unexpected EOF",
        "worker-c  docker      would load         -       3        -",
        "worker-d  docker      loaded       3.0 GiB      12  301.2 s",
        "4 nodes: 1 loaded, 0 present, 1 would load, 1 failed, 1 unreachable; 3.0 GiB moved",
    ]


@pytest.mark.parametrize("count, text", [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1048524, "1023.9 KiB"), (1048575, "1.0 MiB"),
    (432327475, "412.3 MiB"), (1024 ** 3, "1.0 GiB"), (5 * 1024 ** 4, "5120.0 GiB"),
])
def test_report_bytes_are_1024_based_with_one_decimal(count, text):
    assert spark_image_report({"n": result("docker", "loaded", count)})[-1] == "1 node: 1 loaded, 0 present, 0 failed; %s moved" % text


def test_report_of_no_nodes():
    assert spark_image_report({}) == ["NODE  RUNTIME  STATUS  MOVED  LAYERS  TIME  MESSAGE", "0 nodes: 0 loaded, 0 present, 0 failed; 0 B moved"]


@pytest.mark.parametrize("nodes, why", [
    ([], "expected a dict of node name to result, got list"),
    ({"n1": "loaded"}, "node 'n1': expected a dict, got str"),
    ({"n1": result("docker", "done")}, "node 'n1': status 'done' is not one of present, loaded, would load, failed, unreachable"),
    ({"n1": result("docker", "loaded", "12 MiB")}, "node 'n1': bytes_moved should be a non-negative number or null, got '12 MiB'"),
    ({"n1": result("docker", "loaded", 1, True)}, "node 'n1': layers_sent should be a non-negative number or null, got True"),
    ({"n1": result("docker", "loaded", 1, 1, -1.0)}, "node 'n1': seconds should be a non-negative number or null, got -1.0"),
])
def test_report_rejects_bad_results(nodes, why):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_report(nodes)
    assert str(error.value) == "spark_image_report: " + why


# --- spark_image_node_runtime_of, spark_image_nodes_state, spark_image_node_statuses, spark_image_failed_nodes


def test_node_runtime_of_finds_the_node_by_name(lab_node):
    other = with_runtime(lab_node, "containerd://1.6.20")
    other["metadata"]["name"] = "lab-n2"
    nodes = [lab_node, other]
    assert spark_image_node_runtime_of(nodes, "lab-n2") == {"runtime": "containerd", "version": "1.6.20", "node": "lab-n2"}
    assert spark_image_node_runtime_of(nodes, "lab-n1", "containerd") == {"runtime": "containerd", "version": None, "node": "lab-n1"}


def test_node_runtime_of_an_unknown_name_lists_the_nodes_and_the_host_variable(lab_node):
    with pytest.raises(AnsibleFilterError) as error:
        spark_image_node_runtime_of([lab_node], "worker-7")
    assert str(error.value) == (
        "spark_image_node_runtime_of: no Kubernetes node is called 'worker-7' (the cluster has: lab-n1); set the host "
        "variable spark_image_node_name to the node's name when the inventory calls it otherwise"
    )
    with pytest.raises(AnsibleFilterError, match=r"the cluster has: no nodes"):
        spark_image_node_runtime_of([], "worker-7")


LOADED = {"runtime": "docker", "status": "loaded", "bytes_moved": 10240, "layers_sent": 1, "seconds": 2.5, "message": None}
FAILED = {"runtime": "containerd", "status": "failed", "bytes_moved": None, "layers_sent": None, "seconds": 1.0,
          "message": "Load the archive: ctr: content digest sha256:ab: not found"}


def test_nodes_state_marks_hosts_without_a_result_unreachable():
    hostvars = {"lab-n1": {"__spark_image_node_result": LOADED}, "lab-n2": {"other": 1}, "lab-n3": {"__spark_image_node_result": FAILED}}
    state = spark_image_nodes_state(["lab-n1", "lab-n2", "lab-n3"], hostvars)
    assert state["lab-n1"] == LOADED and state["lab-n3"] == FAILED
    assert state["lab-n2"]["status"] == "unreachable"
    assert state["lab-n2"]["bytes_moved"] is None and state["lab-n2"]["runtime"] is None
    assert spark_image_node_statuses(state) == {"lab-n1": "loaded", "lab-n2": "unreachable", "lab-n3": "failed"}
    assert spark_image_failed_nodes(state) == ["lab-n2", "lab-n3"]
    # the report accepts what the state gives, unreachable rows included
    lines = spark_image_report(state)
    assert lines[-1] == "3 nodes: 1 loaded, 0 present, 1 failed, 1 unreachable; 10.0 KiB moved"


def test_no_failed_nodes():
    assert spark_image_failed_nodes({"lab-n1": LOADED, "lab-n2": dict(LOADED, status="present")}) == []
