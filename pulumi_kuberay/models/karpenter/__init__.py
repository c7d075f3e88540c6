"""Models of the Karpenter objects the library emits: ``karpenter.sh/v1`` NodePool and the AWS
provider's ``karpenter.k8s.aws/v1`` EC2NodeClass (schemas: Karpenter v1.14.1 CRDs).

https://karpenter.sh/docs/concepts/nodepools/ and https://karpenter.sh/docs/concepts/nodeclasses/
"""

from pulumi_kuberay.models.karpenter.ec2nodeclass import EC2NodeClass, EC2NodeClassSpec
from pulumi_kuberay.models.karpenter.nodepool import NodePool, NodePoolSpec

__all__ = ["EC2NodeClass", "EC2NodeClassSpec", "NodePool", "NodePoolSpec"]
