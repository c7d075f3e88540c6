"""Queued GPU training with Kueue: two teams share an A100 and a CPU flavor in one cohort.

- ``Kueue`` installs Kueue 0.19 (``installKueue: false`` where it already runs); the Ray
  integrations are on by default.
- The A100 nodes described once, as a ``GpuNodePool``: its labels and taint are the ``a100``
  ResourceFlavor's and its GPU workers' placement, so they cannot drift apart. One flavor per
  kind of node: ``a100`` (GPU nodes, tainted) and ``cpu`` (CPU nodes).
- A ClusterQueue per team in the cohort ``ml``: each has ``gpusPerTeam`` A100 GPUs of its own,
  may borrow the other team's idle ones, and reclaims its own by preemption.
- A LocalQueue per team namespace, and two WorkloadPriorityClasses.
- RayJobs queued with ``queue=`` and ``priority_class=``: created suspended, started by Kueue
  when the quota is there; their quota is checked at preview (a job that could never be
  admitted fails ``pulumi preview``).

Offline: ``pulumi-kuberay preview stacks/kueue-training``. Live: ``pulumi up`` against a cluster
with the KubeRay operator.
"""

import pulumi

import pulumi_kuberay as kuberay

config = pulumi.Config()
install_kueue = (config.get("installKueue") or "true").lower() == "true"
gpus_per_team = int(config.get("gpusPerTeam") or "8")

kueue = kuberay.Kueue("kueue", install=install_kueue)

# Existing 8 x A100 80GB nodes; the exact GFD product name is the label the flavor selects.
a100_nodes = kuberay.GpuNodePool(
    "a100",
    accelerator=kuberay.accelerators.NVIDIA_A100_80GB.with_label("NVIDIA-A100-SXM4-80GB"),
    gpus_per_node=8,
    cpu_per_node=95,
    memory_per_node="1100Gi",
    max_nodes=4,
)
a100 = kuberay.ResourceFlavor(
    "a100", kuberay.ResourceFlavorArgs.from_source(a100_nodes), kueue=kueue
)
cpu = kuberay.ResourceFlavor("cpu", kueue=kueue, node_labels={"node-type": "cpu"})
ml = kuberay.Cohort("ml", kueue=kueue)

high = kuberay.WorkloadPriorityClass(
    "high", kueue=kueue, value=10000, description="deadline training runs"
)
low = kuberay.WorkloadPriorityClass(
    "low", kueue=kueue, value=100, description="experiments; preempted first"
)

teams = {}
for team in ("team-a", "team-b"):
    cluster_queue = kuberay.ClusterQueue(
        team,
        kueue=kueue,
        cohort=ml,
        # GPU pods get the a100 flavor; CPU-only pods (heads, submitters) cannot tolerate its
        # taint and get the cpu flavor.
        resource_groups=[
            kuberay.ResourceGroup(
                flavors=[
                    kuberay.FlavorQuotas(
                        a100,
                        {
                            "cpu": 8 * gpus_per_team,
                            "memory": f"{64 * gpus_per_team}Gi",
                            "nvidia.com/gpu": kuberay.Quota(
                                gpus_per_team, borrowing_limit=gpus_per_team
                            ),
                        },
                    ),
                    kuberay.FlavorQuotas(cpu, {"cpu": 32, "memory": "128Gi", "nvidia.com/gpu": 0}),
                ]
            )
        ],
        preemption={"reclaimWithinCohort": "Any", "withinClusterQueue": "LowerPriority"},
    )
    teams[team] = kuberay.LocalQueue(
        f"{team}-queue",
        kueue=kueue,
        name="training",
        namespace=team,
        cluster_queue=cluster_queue,
    )


def training_job(name: str, team: str, gpus: int, priority: kuberay.WorkloadPriorityClass):
    """A RayJob on ``gpus`` A100 workers (one GPU each), queued to the team's LocalQueue."""
    return kuberay.RayJob(
        name,
        namespace=team,
        entrypoint="python /home/ray/train.py",
        cluster=kuberay.ClusterArgs(
            image="rayproject/ray-ml:2.53.0-gpu",
            head=kuberay.HeadGroup(cpu=2, memory="8Gi"),
            worker_groups=[
                kuberay.WorkerGroup(
                    "gpu",
                    replicas=gpus,
                    cpu=8,
                    memory="64Gi",
                    gpus=1,
                    node_pool=a100_nodes,
                )
            ],
        ),
        shutdown_after_job_finishes=True,
        ttl_seconds_after_finished=300,
        active_deadline_seconds=24 * 3600,
        queue=teams[team],
        priority_class=priority,
    )


jobs = [
    training_job("llm-finetune", "team-a", gpus_per_team, high),
    # Borrows team-a's idle GPUs when it needs more than its own; reclaimed by preemption.
    training_job("sweep", "team-b", gpus_per_team + 2, low),
]

pulumi.export("queues", {team: queue.name for team, queue in teams.items()})
pulumi.export("jobs", [job.name for job in jobs])
