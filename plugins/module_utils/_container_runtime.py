# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE helpers for putting an image onto Kubernetes nodes with their own runtime. Pure: no I/O.

What a node runs (its Node object's ``containerRuntimeVersion``), the full name containerd keeps for a
Docker-style reference, the image a ``ctr images ls`` listing holds under a name, the layer chains of
``docker image inspect`` results, and the per-node report. Errors are ContainerRuntimeError (a
ValueError); the filters turn them into AnsibleFilterError.
"""

import re

SUPPORTED_RUNTIMES = ("docker", "containerd")
RUNTIME_OVERRIDE_VARIABLE = "spark_image_node_runtime"
STATUSES = ("present", "loaded", "would load", "failed", "unreachable")

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"

# The grammar of github.com/distribution/reference (what Docker and containerd parse), without IPv6 domains.
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_RE = re.compile(r"^%s(?:\.%s)*(?::[0-9]+)?$" % (_DOMAIN_COMPONENT, _DOMAIN_COMPONENT))
_PATH_COMPONENT_RE = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_NAME_TOTAL_LENGTH_MAX = 255

_CTR_HEADER = ("REF", "TYPE", "DIGEST")
_CTR_DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-f]+$")


class ContainerRuntimeError(ValueError):
    pass


def _node_name(node):
    return ((node.get("metadata") or {}).get("name")) if isinstance(node, dict) else None


def node_runtime(node, override=None):
    """{runtime: docker|containerd, version: str or None, node: name} of a Kubernetes Node object.

    A non-empty ``override`` wins; the version then comes from the node only when its scheme is the
    override's. A runtime this collection cannot load images with, or no runtime at all, is an error
    that says how to override.
    """
    if not isinstance(node, dict):
        raise ContainerRuntimeError("expected a Kubernetes Node object (a dict), got %s" % type(node).__name__)
    name = _node_name(node)
    raw = ((node.get("status") or {}).get("nodeInfo") or {}).get("containerRuntimeVersion")
    scheme, version = None, None
    if isinstance(raw, str) and "://" in raw:
        scheme, version = raw.split("://", 1)
        version = version or None
    how = "set the host variable %s to one of %s for this node to override" % (RUNTIME_OVERRIDE_VARIABLE, ", ".join(SUPPORTED_RUNTIMES))
    if override:
        if override not in SUPPORTED_RUNTIMES:
            raise ContainerRuntimeError(
                "node %r: %s=%r is not a runtime this collection supports (%s)"
                % (name, RUNTIME_OVERRIDE_VARIABLE, override, ", ".join(SUPPORTED_RUNTIMES))
            )
        return {"runtime": override, "version": version if scheme == override else None, "node": name}
    if not raw:
        raise ContainerRuntimeError("node %r: its status.nodeInfo.containerRuntimeVersion is missing or empty; %s" % (name, how))
    if scheme not in SUPPORTED_RUNTIMES:
        raise ContainerRuntimeError(
            "node %r: container runtime %r is not supported (only %s); %s" % (name, raw, ", ".join(SUPPORTED_RUNTIMES), how)
        )
    return {"runtime": scheme, "version": version, "node": name}


def containerd_ref(ref):
    """The full name containerd (and the CRI) keeps for a Docker-style reference: docker.io/library/x:latest."""
    if not isinstance(ref, str):
        raise ContainerRuntimeError("expected an image reference (a string), got %s" % type(ref).__name__)
    if not ref:
        raise ContainerRuntimeError("the image reference is empty")

    def invalid(why):
        return ContainerRuntimeError("invalid image reference %r: %s" % (ref, why))

    name, digest = ref, None
    if "@" in ref:
        name, digest = ref.split("@", 1)
        if not _DIGEST_RE.match(digest) or (digest.startswith("sha256:") and len(digest) != len("sha256:") + 64):
            raise invalid("bad digest %r" % digest)
    tag = None
    last_slash = name.rfind("/")
    if ":" in name[last_slash + 1:]:
        name, tag = name.rsplit(":", 1)
        if not _TAG_RE.match(tag):
            raise invalid("bad tag %r" % tag)
    if not name:
        raise invalid("no repository name")

    domain, path = DEFAULT_DOMAIN, name
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, rest
        if not _DOMAIN_RE.match(domain):
            raise invalid("bad registry %r" % domain)
        if domain == LEGACY_DEFAULT_DOMAIN:
            domain = DEFAULT_DOMAIN
    for component in path.split("/"):
        if not _PATH_COMPONENT_RE.match(component):
            if component.lower() != component:
                raise invalid("repository name must be lowercase")
            raise invalid("bad repository path component %r" % component)
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = OFFICIAL_REPO_PREFIX + path
    full = "%s/%s" % (domain, path)
    if len(full) > _NAME_TOTAL_LENGTH_MAX:
        raise invalid("repository name longer than %d characters" % _NAME_TOTAL_LENGTH_MAX)
    if tag is None and digest is None:
        tag = "latest"
    return full + (":" + tag if tag is not None else "") + ("@" + digest if digest is not None else "")


def _same_image(listed, target):
    if listed == target:
        return True
    try:
        return containerd_ref(listed) == target
    except ContainerRuntimeError:  # a bare sha256:... entry, or a name we do not know how to read: not ours
        return False


def ctr_images(text):
    """[{ref, media_type, digest}] of ``ctr images ls`` output (REF TYPE DIGEST SIZE PLATFORMS LABELS).

    Columns are tab-aligned and SIZE holds a space ("803.0 B"); REF, TYPE and DIGEST never do, so
    each row's first three fields are taken, whatever follows.
    """
    if not isinstance(text, str):
        raise ContainerRuntimeError("expected the text of ctr images ls, got %s" % type(text).__name__)
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines or tuple(lines[0][1].split()[:3]) != _CTR_HEADER:
        raise ContainerRuntimeError(
            "not the output of ctr images ls: the first line should start with REF TYPE DIGEST, got %r" % (lines[0][1][:80] if lines else "")
        )
    images = []
    for number, line in lines[1:]:
        fields = line.split()
        if len(fields) < 3 or not _CTR_DIGEST_RE.match(fields[2]):
            raise ContainerRuntimeError("line %d of ctr images ls is not REF TYPE DIGEST ...: %r" % (number, line[:120]))
        images.append({"ref": fields[0], "media_type": fields[1], "digest": fields[2]})
    return images


def ctr_target(text, ref):
    """The {ref, media_type, digest} that ``ctr images ls`` lists under ``ref`` (normalized), or None."""
    target = containerd_ref(ref)
    return next((image for image in ctr_images(text) if _same_image(image["ref"], target)), None)


def docker_chains(inspect_list):
    """The distinct RootFS.Layers lists of ``docker image inspect`` results, in order; images without layers are skipped."""
    if not isinstance(inspect_list, list):
        raise ContainerRuntimeError("expected a list of docker image inspect results, got %s" % type(inspect_list).__name__)
    chains = []
    for index, image in enumerate(inspect_list):
        if not isinstance(image, dict):
            raise ContainerRuntimeError("item %d is not a docker image inspect result (a dict) but %s" % (index, type(image).__name__))
        layers = (image.get("RootFS") or {}).get("Layers") or []
        if not isinstance(layers, list) or not all(isinstance(layer, str) for layer in layers):
            raise ContainerRuntimeError("item %d (%s): RootFS.Layers is not a list of layer digests" % (index, image.get("Id") or "no Id"))
        if layers and layers not in chains:
            chains.append(list(layers))
    return chains


_IMAGE_ID_RE = re.compile(r"^(?:sha256:[0-9a-f]{64}|[0-9a-f]{12,64})$")


def docker_image_named(images, name):
    """The ``docker image inspect`` result among ``images`` that Docker resolves ``name`` to, or None.

    ``name`` is an image ID (``sha256:<hex>``, or 12 or more of its hex digits) or a reference, matched against each
    image's RepoTags and RepoDigests after the normalization of :func:`containerd_ref` (``lab/x:1`` is
    ``docker.io/lab/x:1``, no tag is ``:latest``). A reference with a digest is matched by its digest alone, as Docker
    does.
    """
    if not isinstance(images, list) or not all(isinstance(image, dict) for image in images):
        raise ContainerRuntimeError("expected a list of docker image inspect results (dicts)")
    if not isinstance(name, str):
        raise ContainerRuntimeError("expected an image name or ID (a string), got %s" % type(name).__name__)
    if _IMAGE_ID_RE.match(name):
        digits = name.rpartition(":")[2]
        return next((image for image in images if str(image.get("Id", "")).rpartition(":")[2].startswith(digits)), None)
    wanted = containerd_ref(name)
    if "@" in wanted:
        repository, digest = wanted.split("@", 1)
        last_slash = repository.rfind("/")
        wanted = "%s@%s" % (repository[:last_slash + 1] + repository[last_slash + 1:].split(":", 1)[0], digest)
    for image in images:
        for listed in list(image.get("RepoTags") or []) + list(image.get("RepoDigests") or []):
            try:
                if containerd_ref(listed) == wanted:
                    return image
            except ContainerRuntimeError:  # a name Docker lists but we cannot read (such as <none>:<none>)
                continue
    return None


def human_bytes(count):
    """1024-based, one decimal: 512 B, 1.5 KiB, 412.3 MiB, 2.0 GiB (GiB is the largest unit)."""
    if count < 1024:
        return "%d B" % count
    value = float(count)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if round(value, 1) < 1024 or unit == "GiB":
            return "%.1f %s" % (value, unit)
    raise AssertionError("unreachable")  # pragma: no cover


def _optional_number(name, field, value, kinds):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, kinds) or value < 0:
        raise ContainerRuntimeError("node %r: %s should be a non-negative number or null, got %r" % (name, field, value))
    return value


def report(nodes):
    """Lines: a header, one aligned row per node (by name), and the totals."""
    if not isinstance(nodes, dict):
        raise ContainerRuntimeError("expected a dict of node name to result, got %s" % type(nodes).__name__)
    header = ("NODE", "RUNTIME", "STATUS", "MOVED", "LAYERS", "TIME", "MESSAGE")
    right_aligned = (3, 4, 5)
    rows, moved, counts = [], 0, dict.fromkeys(STATUSES, 0)
    for name in sorted(nodes):
        result = nodes[name]
        if not isinstance(result, dict):
            raise ContainerRuntimeError("node %r: expected a dict, got %s" % (name, type(result).__name__))
        status = result.get("status")
        if status not in STATUSES:
            raise ContainerRuntimeError("node %r: status %r is not one of %s" % (name, status, ", ".join(STATUSES)))
        bytes_moved = _optional_number(name, "bytes_moved", result.get("bytes_moved"), int)
        layers = _optional_number(name, "layers_sent", result.get("layers_sent"), int)
        seconds = _optional_number(name, "seconds", result.get("seconds"), (int, float))
        counts[status] += 1
        moved += bytes_moved or 0
        message = " ".join(str(result.get("message") or "").split()) if status in ("failed", "unreachable") else ""
        rows.append((
            str(name),
            result.get("runtime") or "-",
            status,
            "-" if bytes_moved is None else human_bytes(bytes_moved),
            "-" if layers is None else str(layers),
            "-" if seconds is None else "%.1f s" % seconds,
            message,
        ))
    widths = [max(len(row[column]) for row in [header] + rows) for column in range(len(header))]

    def line(cells):
        padded = [cell.rjust(widths[i]) if i in right_aligned else cell.ljust(widths[i]) for i, cell in enumerate(cells)]
        return "  ".join(padded).rstrip()

    summary = ["%d loaded" % counts["loaded"], "%d present" % counts["present"]]
    if counts["would load"]:
        summary.append("%d would load" % counts["would load"])
    summary.append("%d failed" % counts["failed"])
    if counts["unreachable"]:
        summary.append("%d unreachable" % counts["unreachable"])
    total = "%d node%s: %s; %s moved" % (len(rows), "" if len(rows) == 1 else "s", ", ".join(summary), human_bytes(moved))
    return [line(header)] + [line(row) for row in rows] + [total]


def node_runtime_of(nodes, name, override=None):
    """node_runtime() of the Node called ``name`` in a list of Node objects; an error when none is."""
    for node in nodes or []:
        if isinstance(node, dict) and _node_name(node) == name:
            return node_runtime(node, override)
    known = sorted(_node_name(node) for node in nodes or [] if isinstance(node, dict))
    raise ContainerRuntimeError(
        "no Kubernetes node is called %r (the cluster has: %s); set the host variable spark_image_node_name to the "
        "node's name when the inventory calls it otherwise" % (name, ", ".join(known) or "no nodes")
    )


UNREACHED = {"runtime": None, "status": "unreachable", "bytes_moved": None, "layers_sent": None, "seconds": None,
             "message": "the host became unreachable (see the task output above)"}


def nodes_state(hosts, results):
    """{host: its result} for every host of the play; a host with no result was dropped as unreachable.

    ``results`` maps each host to its recorded result (a dict), or None when the host recorded nothing.
    """
    state = {}
    for host in hosts:
        result = results.get(host)
        state[host] = dict(result) if isinstance(result, dict) else dict(UNREACHED)
    return state


def failed_nodes(nodes):
    """Sorted names of the nodes that did not get the image."""
    return sorted(name for name, node in nodes.items() if node.get("status") in ("failed", "unreachable"))
