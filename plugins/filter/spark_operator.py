# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``spark_operator_objects``: the names the spark_operator role needs, read from the release's manifest.

The kubeflow chart names its objects from the release name, nameOverride and fullnameOverride; reading
what the release installed stays right whatever the values say. Docs in spark_operator_objects.yml.
"""

from ansible_collections.dataplane.alluxio_spark.plugins.filter.k8s_diagnostics import helm_manifest_objects


def spark_operator_objects(manifest, job_namespace):
    """{controller: Deployment name, service_account: the Spark pods' account in job_namespace}; None when absent."""
    objects = helm_manifest_objects(manifest)
    controller = next(
        (o["name"] for o in objects if o["kind"] == "Deployment" and o["labels"].get("app.kubernetes.io/component") == "controller"),
        None,
    )
    # The chart creates the account (spark.serviceAccount.create), or only binds one that must exist.
    account = next((o["name"] for o in objects if o["kind"] == "ServiceAccount" and o["namespace"] == job_namespace), None)
    if account is None:
        account = next(
            (
                subject["name"]
                for o in objects
                if o["kind"] == "RoleBinding" and o["namespace"] == job_namespace
                for subject in o["subjects"]
                if subject.get("kind") == "ServiceAccount"
            ),
            None,
        )
    return {"controller": controller, "service_account": account}


class FilterModule(object):
    def filters(self):
        return {"spark_operator_objects": spark_operator_objects}
