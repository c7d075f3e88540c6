"""The identity objects a Ray pod may need: ``ServiceAccount``, ``Role`` and ``RoleBinding``.

Their nested parts are checked against the Kubernetes API's own field list (the official
client's models), like the pod templates KubeRay embeds.
https://kubernetes.io/docs/reference/access-authn-authz/rbac/
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pulumi_kuberay.models.kubernetes.core_types import kubernetes_shape
from pulumi_kuberay.models.objects import KubernetesObject

PolicyRule = Annotated[dict[str, Any], kubernetes_shape("V1PolicyRule")]
RoleRef = Annotated[dict[str, Any], kubernetes_shape("V1RoleRef")]
Subject = Annotated[dict[str, Any], kubernetes_shape("RbacV1Subject")]
LocalObjectReference = Annotated[dict[str, Any], kubernetes_shape("V1LocalObjectReference")]

RBAC_API_VERSION = "rbac.authorization.k8s.io/v1"


class ServiceAccount(KubernetesObject):
    """A core/v1 ServiceAccount: the identity pods run as (``serviceAccountName``)."""

    API_VERSION: ClassVar[str] = "v1"
    KIND: ClassVar[str] = "ServiceAccount"

    kind: Literal["ServiceAccount"] = "ServiceAccount"
    automount_service_account_token: bool | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None


class Role(KubernetesObject):
    """A namespaced set of permissions."""

    API_VERSION: ClassVar[str] = RBAC_API_VERSION
    KIND: ClassVar[str] = "Role"

    kind: Literal["Role"] = "Role"
    rules: list[PolicyRule] | None = None


class RoleBinding(KubernetesObject):
    """Grants a Role's permissions to subjects (ServiceAccounts) in the namespace."""

    API_VERSION: ClassVar[str] = RBAC_API_VERSION
    KIND: ClassVar[str] = "RoleBinding"

    kind: Literal["RoleBinding"] = "RoleBinding"
    role_ref: RoleRef
    subjects: list[Subject] | None = None
