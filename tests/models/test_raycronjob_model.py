"""RayCronJob (KubeRay 1.6, gate RayCronJob): the model, its release and its gate."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_kuberay import ValidationError
from pulumi_kuberay.models.ray.raycronjob import RayCronJob
from pulumi_kuberay.spec import parse_manifest, validate_manifest
from tests.models.conftest import MINIMAL_RAYCLUSTER

pytestmark = pytest.mark.allow_nonconforming_manifests  # the 1.5 CRDs have no RayCronJob

CRONJOB: dict[str, Any] = {
    "apiVersion": "ray.io/v1",
    "kind": "RayCronJob",
    "metadata": {"name": "nightly", "namespace": "ml"},
    "spec": {
        "schedule": "0 3 * * *",
        "jobTemplate": {
            "entrypoint": "python train.py",
            "shutdownAfterJobFinishes": True,
            "rayClusterSpec": copy.deepcopy(MINIMAL_RAYCLUSTER["spec"]),
        },
    },
}
GATE = {"RayCronJob": True}


@pytest.fixture
def cronjob() -> dict[str, Any]:
    return copy.deepcopy(CRONJOB)


def test_parses_with_the_job_template_as_a_rayjob_spec(cronjob: dict[str, Any]) -> None:
    model = parse_manifest(cronjob)
    assert isinstance(model, RayCronJob)
    assert model.spec.job_template.entrypoint == "python train.py"
    assert model.to_manifest() == cronjob


def test_unknown_fields_are_refused(cronjob: dict[str, Any]) -> None:
    cronjob["spec"]["concurrencyPolicy"] = "Forbid"  # a batch/v1 CronJob field KubeRay lacks
    with pytest.raises(ValidationError, match="concurrencyPolicy"):
        parse_manifest(cronjob)


def test_the_kind_needs_operator_1_6(cronjob: dict[str, Any]) -> None:
    assert validate_manifest(cronjob, "1.5.1") == [
        "kind: RayCronJob was added in KubeRay 1.6.0, and operator 1.5.1 has no RayCronJob CRD, "
        "so the API server would refuse the object; upgrade the operator to 1.6.0 or newer"
    ]


@pytest.mark.parametrize("version", ["1.6.2", "1.7.0"])
def test_the_kind_needs_its_gate(cronjob: dict[str, Any], version: str) -> None:
    assert validate_manifest(cronjob, version) == [
        "kind: RayCronJob needs the RayCronJob feature gate (the RayCronJob controller), which is "
        f"off by default in KubeRay {version} (Alpha): the object would be stored but nothing "
        "would act on it; enable the gate on the operator (feature_gates={'RayCronJob': True})"
    ]
    assert validate_manifest(cronjob, version, GATE) == []


def test_time_zone_is_1_7(cronjob: dict[str, Any]) -> None:
    cronjob["spec"]["timeZone"] = "Europe/Paris"
    assert validate_manifest(cronjob, "1.6.2", GATE) == [
        "spec.timeZone: added in KubeRay 1.7.0; operator 1.6.2's CRD lacks it, so the API server "
        "would drop it and the setting would do nothing; upgrade the operator to 1.7.0 or newer, "
        "or remove the field"
    ]
    assert validate_manifest(cronjob, "1.7.0", GATE) == []


def test_the_job_template_is_checked_as_a_rayjob_spec(cronjob: dict[str, Any]) -> None:
    cronjob["spec"]["jobTemplate"]["ttlSecondsAfterFinished"] = -1
    assert validate_manifest(cronjob, "1.6.2", GATE) == [
        "spec.jobTemplate.ttlSecondsAfterFinished: must not be negative, got -1; use 0 or more "
        "seconds"
    ]
