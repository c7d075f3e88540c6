"""The KubeRay operator chart and a YAML group next to a plain object."""

import pulumi_kubernetes as k8s

k8s.core.v1.Namespace("kuberay-system", metadata={"name": "kuberay-system"})
k8s.helm.v4.Chart(
    "kuberay-operator",
    chart="kuberay-operator",
    version="1.5.1",
    namespace="kuberay-system",
    repository_opts={"repo": "https://ray-project.github.io/kuberay-helm/"},
    values={"featureGates": [{"name": "RayClusterStatusConditions", "enabled": True}]},
)
k8s.yaml.v2.ConfigGroup(
    "extras",
    yaml="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n",
)
