"""The default stack: a small autoscaling Ray cluster, composed from pulumi_kuberay.

Offline: ``pulumi-kuberay preview .`` (no cluster needed). Live: ``pulumi up`` with a
kubeconfig pointing at a cluster where the KubeRay operator runs.
"""

import pulumi

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "ray"
cluster_name = config.get("clusterName") or "raycluster-default"

cluster = kuberay.RayCluster(
    cluster_name,
    namespace=namespace,
    head=kuberay.HeadGroup(cpu=2, memory="8Gi"),
    worker_groups=[
        kuberay.WorkerGroup(
            "cpu", replicas=1, min_replicas=0, max_replicas=4, cpu=4, memory="16Gi"
        ),
    ],
    autoscaling=kuberay.Autoscaling(idle_timeout_seconds=60, cpu=1, memory="1Gi"),
)

pulumi.export("cluster_name", cluster.name)
pulumi.export("dashboard_url", cluster.dashboard_url)
pulumi.export("client_address", cluster.client_address)
