"""The KubeRay guide's training RayJob, with its W&B key handled properly.

The guide writes ``WANDB_API_KEY: "secret"`` into ``runtimeEnvYAML``, where anyone who can read
RayJobs can read it. Here the key lives in a Kubernetes Secret and reaches the head, the GPU
workers and the submitter as ``valueFrom.secretKeyRef``; the RayJob only names the Secret.

- ``wandbApiKey`` set (``pulumi config set --secret wandbApiKey ...``): the stack creates the
  Secret from that encrypted config value.
- otherwise the Secret ``wandbSecretName`` (default ``wandb``, key ``api-key``) must exist.

Offline: ``pulumi-kuberay preview stacks/training-job``. Live: ``pulumi up`` against a cluster
running the KubeRay operator.
"""

import pulumi
import pulumi_kubernetes as k8s

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "ml"
secret_name = config.get("wandbSecretName") or "wandb"
api_key = config.get_secret("wandbApiKey")
kueue_queue = config.get("kueueQueue")
wait = config.get_bool("waitForCompletion") or False

depends_on: list[pulumi.Resource] = []
if api_key is not None:
    wandb_secret = k8s.core.v1.Secret(
        "wandb",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=secret_name, namespace=namespace),
        string_data={"api-key": api_key},
        type="Opaque",
    )
    depends_on.append(wandb_secret)

# The cluster the job creates for itself: one description, as a RayCluster would take it.
cluster = kuberay.ClusterArgs(
    image="rayproject/ray-ml:2.53.0-gpu",
    ray_version="2.53.0",
    head=kuberay.HeadGroup(cpu=4, memory="16Gi"),
    worker_groups=[
        kuberay.WorkerGroup("gpu-workers", replicas=4, cpu=8, memory="64Gi", gpus=1),
    ],
)

job = kuberay.RayJob(
    "training-job",
    namespace=namespace,
    entrypoint="python /home/ray/train.py --epochs 10",
    runtime_env=kuberay.RuntimeEnv(
        pip=["torch==2.5.0", "transformers"],
        working_dir="https://github.com/org/repo/archive/main.zip",
    ),
    secret_env={"WANDB_API_KEY": kuberay.SecretRef(secret_name, "api-key")},
    cluster=cluster,
    shutdown_after_job_finishes=True,
    ttl_seconds_after_finished=300,
    active_deadline_seconds=7200,
    backoff_limit=2,
    submission_mode="K8sJobMode",
    queue=kueue_queue,
    wait_for_ready=wait,
    ready_timeout_seconds=7200 + 600,
    opts=pulumi.ResourceOptions(depends_on=depends_on),
)

pulumi.export("job_name", job.name)
pulumi.export("namespace", job.namespace)
pulumi.export("job_id", job.job_id)
pulumi.export("dashboard_url", job.dashboard_url)
