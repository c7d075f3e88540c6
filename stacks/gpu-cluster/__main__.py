"""GPU cluster: A100 workers for training, CPU workers for data preprocessing.

The head runs no Ray workloads (``num-cpus: "0"``) and sees no GPUs; GPU pods tolerate the
``nvidia.com/gpu`` taint and select A100 nodes by their GPU Feature Discovery label. CPU gets
requests only (no limits, so Ray is never throttled); memory and GPU requests equal limits.
"""

import pulumi

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "ml"

gpu_image = "rayproject/ray-ml:2.53.0-gpu"

cluster = kuberay.RayCluster(
    "gpu-cluster",
    namespace=namespace,
    ray_version="2.53.0",
    image=gpu_image,
    head=kuberay.HeadGroup(cpu=4, memory="16Gi", service_type="ClusterIP"),
    worker_groups=[
        kuberay.WorkerGroup(
            "gpu-a100",
            replicas=2,
            min_replicas=0,
            max_replicas=8,
            cpu=8,
            memory="64Gi",
            gpus=1,
            accelerator=kuberay.accelerators.NVIDIA_A100,
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
