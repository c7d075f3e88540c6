"""Pydantic field types for the Kubernetes objects embedded in KubeRay resources.

Each type is a plain dict checked by :func:`kubernetes_shapes.check_shape`, so the value is kept
exactly as written (faithful round-trips) while typos and wrong types are still rejected.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from pulumi_kuberay.models.kubernetes.shapes import check_shape


def kubernetes_shape(type_name: str) -> AfterValidator:
    """A validator for ``Annotated[dict[str, Any], ...]`` fields: the dict is checked as
    Kubernetes type ``type_name`` (e.g. ``V1Toleration``) and kept exactly as written."""

    def check(value: dict[str, Any]) -> dict[str, Any]:
        problems = check_shape(value, type_name, "")
        if problems:
            # Paths start with "." relative to the field; pydantic prefixes the field location.
            raise ValueError("\n".join(p.lstrip(".") for p in problems))
        return value

    return AfterValidator(check)


PodTemplate = Annotated[dict[str, Any], kubernetes_shape("V1PodTemplateSpec")]
"""A core/v1 PodTemplateSpec (``metadata`` + ``spec``)."""

Service = Annotated[dict[str, Any], kubernetes_shape("V1Service")]
EnvVar = Annotated[dict[str, Any], kubernetes_shape("V1EnvVar")]
EnvVarSource = Annotated[dict[str, Any], kubernetes_shape("V1EnvVarSource")]
EnvFromSource = Annotated[dict[str, Any], kubernetes_shape("V1EnvFromSource")]
VolumeMount = Annotated[dict[str, Any], kubernetes_shape("V1VolumeMount")]
SecurityContext = Annotated[dict[str, Any], kubernetes_shape("V1SecurityContext")]
ResourceRequirements = Annotated[dict[str, Any], kubernetes_shape("V1ResourceRequirements")]
Container = Annotated[dict[str, Any], kubernetes_shape("V1Container")]
IngressTLS = Annotated[dict[str, Any], kubernetes_shape("V1IngressTLS")]
NetworkPolicyIngressRule = Annotated[dict[str, Any], kubernetes_shape("V1NetworkPolicyIngressRule")]
NetworkPolicyEgressRule = Annotated[dict[str, Any], kubernetes_shape("V1NetworkPolicyEgressRule")]

Quantity = str | int
"""A Kubernetes quantity as written (``"1Gi"``, ``10``; the CRDs take an integer or a string)."""
