"""A RayService serving the KubeRay "fruit stand" Serve application.

Three pricing deployments and a market that combines them, behind ``/fruit`` on the Serve
Service ``fruit-stand-serve-svc`` (port 8000). KubeRay upgrades with a new cluster and moves
traffic when it serves, so changes roll out without downtime.

High availability is one config value: with ``redisAddress`` set, GCS fault tolerance keeps the
Serve replicas answering while the head restarts, with the Redis password read from the Secret
``redisPasswordSecret`` (key ``password``), never written into the RayService.
https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/rayservice-high-availability.html
"""

import pulumi

import pulumi_kuberay as kuberay

config = pulumi.Config()
namespace = config.get("namespace") or "serving"
redis_address = config.get("redisAddress")
redis_password_secret = config.get("redisPasswordSecret") or "redis-password"
wait = config.get_bool("waitForReady") or False

high_availability = None
if redis_address:
    high_availability = kuberay.GcsFaultTolerance(
        redis_address=redis_address,
        redis_password=kuberay.SecretRef(redis_password_secret, "password"),
    )


def stand(name: str, price: int) -> kuberay.ServeDeployment:
    # With HA, two replicas on different nodes keep each deployment up through a node loss.
    return kuberay.ServeDeployment(
        name=name,
        num_replicas=2 if high_availability else 1,
        max_replicas_per_node=1 if high_availability else None,
        user_config={"price": price},
        ray_actor_options={"num_cpus": 0.1},
    )


serve_config = kuberay.ServeConfig(
    applications=[
        kuberay.ServeApplication(
            "fruit_app",
            "fruit.deployment_graph",
            route_prefix="/fruit",
            runtime_env=kuberay.RuntimeEnv(
                working_dir=(
                    "https://github.com/ray-project/test_dag/archive/"
                    "78b4a5da38796123d9f9ffff59bab2792a043e95.zip"
                )
            ),
            deployments=[
                stand("MangoStand", 3),
                stand("OrangeStand", 2),
                stand("PearStand", 1),
                kuberay.ServeDeployment(
                    name="FruitMarket",
                    num_replicas=2 if high_availability else 1,
                    ray_actor_options={"num_cpus": 0.1},
                ),
            ],
        )
    ]
)

service = kuberay.RayService(
    "fruit-stand",
    namespace=namespace,
    serve_config=serve_config,
    cluster=kuberay.ClusterArgs(
        ray_version="2.53.0",
        head=kuberay.HeadGroup(cpu=1, memory="2Gi"),
        worker_groups=[
            kuberay.WorkerGroup(
                "cpu", replicas=2, min_replicas=1, max_replicas=5, cpu=1, memory="2Gi"
            ),
        ],
        autoscaling=kuberay.Autoscaling(idle_timeout_seconds=60),
        fault_tolerance=high_availability,
    ),
    initializing_timeout="15m",
    wait_for_ready=wait,
)

pulumi.export("service_name", service.name)
pulumi.export("serve_endpoint", service.serve_endpoint)
pulumi.export("dashboard_url", service.dashboard_url)
