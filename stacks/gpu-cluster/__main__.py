"""GPU cluster: A100 workers for training, CPU workers for data preprocessing.

The A100 nodes are described once as a ``GpuNodePool`` (existing nodes: most clusters already
have their GPU pools) and the GPU worker group is placed on it. The head runs no Ray workloads
(``num-cpus: "0"``) and sees no GPUs; GPU pods tolerate the pool's ``nvidia.com/gpu`` taint.
CPU gets requests only (no limits, so Ray is never throttled); memory and GPU requests equal
limits.

Which label finds the A100 nodes depends on the platform (config ``labelScheme``):

- ``gfd`` (default): NVIDIA GPU Feature Discovery / the GPU Operator writes
  ``nvidia.com/gpu.product`` with full product names, so the group gets a required node
  affinity over the A100 40GB names (``NVIDIA-A100-SXM4-40GB``, ``NVIDIA-A100-PCIE-40GB``, and
  the un-prefixed names older drivers report). The KubeRay guide's ``nvidia.com/gpu.product:
  A100`` matches no real node.
- ``gke``: GKE's own ``cloud.google.com/gke-accelerator: nvidia-tesla-a100`` (GKE runs no GFD).
- ``karpenter``: Karpenter on EKS, ``karpenter.k8s.aws/instance-gpu-name: a100`` with
  ``karpenter.k8s.aws/instance-gpu-memory: "40960"`` (the same name covers the 80GB A100).
- ``eks-auto-mode``: EKS Auto Mode, ``eks.amazonaws.com/instance-gpu-name: a100``.

Nothing in EKS sets ``k8s.amazonaws.com/accelerator``; on managed node groups select the node
group (``eks.amazonaws.com/nodegroup``, the ``EksNodeGroup`` realisation does) or install GFD.
``gpuProduct`` pins the exact GFD product name your nodes carry (``kubectl get nodes -L
nvidia.com/gpu.product``), e.g. ``NVIDIA-A100-SXM4-40GB``. See docs/gpus.md.
"""

import pulumi

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "ml"
schemes = {
    "gfd": kuberay.NodeLabelScheme.GPU_FEATURE_DISCOVERY,
    "gke": kuberay.NodeLabelScheme.GKE,
    "karpenter": kuberay.NodeLabelScheme.KARPENTER_AWS,
    "eks-auto-mode": kuberay.NodeLabelScheme.EKS_AUTO_MODE,
}
scheme_name = config.get("labelScheme") or "gfd"
if scheme_name not in schemes:
    raise kuberay.ValidationError(
        f"config labelScheme: {scheme_name!r} is not one of {', '.join(schemes)}"
    )
accelerator = kuberay.accelerators.NVIDIA_A100
product = config.get("gpuProduct")
if product:
    accelerator = accelerator.with_label(product)

gpu_image = "rayproject/ray-ml:2.53.0-gpu"

# 8 x A100 40GB nodes (p4d.24xlarge / DGX A100 class): the allocatable CPU and memory
# `kubectl describe node` reports.
a100_nodes = kuberay.GpuNodePool(
    "a100",
    accelerator=accelerator,
    gpus_per_node=8,
    cpu_per_node="95",
    memory_per_node="1100Gi",
    max_nodes=2,
    realisation=kuberay.ExistingNodes(label_scheme=schemes[scheme_name]),
)

cluster = kuberay.RayCluster(
    "gpu-cluster",
    namespace=namespace,
    ray_version="2.53.0",
    image=gpu_image,
    head=kuberay.HeadGroup(cpu=4, memory="16Gi", service_type="ClusterIP"),
    worker_groups=[
        # The guide's size (1 GPU, 8 CPU, 64Gi per pod: eight pods per node); leave cpu, memory
        # and gpus out to get one pod filling a node instead.
        kuberay.WorkerGroup(
            "gpu-a100",
            replicas=2,
            min_replicas=0,
            max_replicas=8,
            cpu=8,
            memory="64Gi",
            gpus=1,
            node_pool=a100_nodes,
        ),
        # Heterogeneous: a CPU-only group on the CPU build of the same Ray image.
        kuberay.WorkerGroup(
            "cpu-workers",
            replicas=4,
            min_replicas=0,
            max_replicas=16,
            cpu=16,
            memory="64Gi",
            image="rayproject/ray-ml:2.53.0",
        ),
    ],
    autoscaling=kuberay.Autoscaling(
        upscaling_mode="Default", idle_timeout_seconds=60, cpu=1, memory="1Gi"
    ),
)

pulumi.export("cluster_name", cluster.name)
pulumi.export("dashboard_url", cluster.dashboard_url)
pulumi.export("client_address", cluster.client_address)
pulumi.export("gpu_pool_capacity", a100_nodes.total_capacity)
