"""The default stack: the KubeRay operator and a small autoscaling Ray cluster.

Offline: ``pulumi-kuberay preview .`` (no cluster needed). Live: ``pulumi up`` with a
kubeconfig pointing at any Kubernetes cluster; the stack installs the operator itself.
"""

import pulumi
import pulumi_kubernetes as k8s

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "ray"
cluster_name = config.get("clusterName") or "raycluster-default"
operator_namespace = config.get("operatorNamespace") or "kuberay-system"

# The operator watches only the namespaces it serves; clusters elsewhere fail at preview.
operator = kuberay.KubeRayOperator(
    "kuberay",
    namespace=operator_namespace,
    create_namespace=True,
    watch_namespaces=[namespace],
)

ray_namespace = k8s.core.v1.Namespace("ray-namespace", metadata={"name": namespace})

cluster = kuberay.RayCluster(
    cluster_name,
    namespace=namespace,
    operator=operator,
    opts=pulumi.ResourceOptions(depends_on=[ray_namespace]),
    head=kuberay.HeadGroup(cpu=2, memory="8Gi"),
    worker_groups=[
        kuberay.WorkerGroup(
            "cpu", replicas=1, min_replicas=0, max_replicas=4, cpu=4, memory="16Gi"
        ),
    ],
    autoscaling=kuberay.Autoscaling(idle_timeout_seconds=60, cpu=1, memory="1Gi"),
)

pulumi.export("operator_version", operator.chart_version)
pulumi.export("cluster_name", cluster.name)
pulumi.export("dashboard_url", cluster.dashboard_url)
pulumi.export("client_address", cluster.client_address)
