"""The Karpenter AWS provider's ``karpenter.k8s.aws/v1`` EC2NodeClass: AMI, IAM identity, subnets
and security groups of the nodes a NodePool launches.

Faithful to ``karpenter.k8s.aws_ec2nodeclasses.yaml`` of karpenter-provider-aws v1.14.1 (the
fields the library sets; unknown fields are an error). https://karpenter.sh/docs/concepts/nodeclasses/
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pulumi_kuberay.models.base import CrdModel
from pulumi_kuberay.models.objects import KubernetesObject

AmiFamily = Literal[
    "AL2", "AL2023", "Bottlerocket", "Custom", "Windows2019", "Windows2022", "Windows2025"
]


class AmiSelectorTerm(CrdModel):
    """``amiSelectorTerms[]``: an ``alias`` (``al2023@latest``) alone, or id/name/owner/tags."""

    alias: str | None = None
    id: str | None = None
    name: str | None = None
    owner: str | None = None
    ssm_parameter: str | None = None
    tags: dict[str, str] | None = None


class SubnetSelectorTerm(CrdModel):
    """``subnetSelectorTerms[]``: a subnet by ``id`` or ``tags``."""

    id: str | None = None
    tags: dict[str, str] | None = None


class SecurityGroupSelectorTerm(CrdModel):
    """``securityGroupSelectorTerms[]``: a security group by ``id``, ``name`` or ``tags``."""

    id: str | None = None
    name: str | None = None
    tags: dict[str, str] | None = None


class BlockDevice(CrdModel):
    """``blockDeviceMappings[].ebs``."""

    volume_size: str | None = None
    volume_type: Literal["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"] | None = None
    encrypted: bool | None = None
    delete_on_termination: bool | None = None
    iops: int | None = None
    throughput: int | None = None
    kms_key_id: str | None = Field(default=None, alias="kmsKeyID")
    snapshot_id: str | None = Field(default=None, alias="snapshotID")


class BlockDeviceMapping(CrdModel):
    """``blockDeviceMappings[]``: a volume of the instance (``rootVolume`` marks the root)."""

    device_name: str | None = None
    ebs: BlockDevice | None = None
    root_volume: bool | None = None


class EC2NodeClassSpec(CrdModel):
    """``spec`` of an EC2NodeClass."""

    ami_selector_terms: list[AmiSelectorTerm]
    subnet_selector_terms: list[SubnetSelectorTerm]
    security_group_selector_terms: list[SecurityGroupSelectorTerm]
    ami_family: AmiFamily | None = None
    role: str | None = None
    instance_profile: str | None = None
    block_device_mappings: list[BlockDeviceMapping] | None = None
    tags: dict[str, str] | None = None
    user_data: str | None = None


class EC2NodeClass(KubernetesObject):
    """A ``karpenter.k8s.aws/v1`` EC2NodeClass."""

    API_VERSION = "karpenter.k8s.aws/v1"
    KIND = "EC2NodeClass"

    spec: EC2NodeClassSpec = Field(...)
