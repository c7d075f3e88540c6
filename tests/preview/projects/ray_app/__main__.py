"""A namespace, plus a component holding a ConfigMap and a RayCluster custom resource."""

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
namespace_name = config.require("namespace")
workers = config.require_int("workers")


class RayApp(pulumi.ComponentResource):
    def __init__(self, name: str, namespace: pulumi.Input[str], opts=None) -> None:
        super().__init__("fixture:index:RayApp", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = k8s.core.v1.ConfigMap(
            "settings",
            metadata={"name": "ray-settings", "namespace": namespace},
            data={"workers": str(workers)},
            opts=child,
        )
        self.cluster = k8s.apiextensions.CustomResource(
            "cluster",
            api_version="ray.io/v1",
            kind="RayCluster",
            metadata={"name": "demo", "namespace": namespace},
            spec={
                "headGroupSpec": {
                    "rayStartParams": {"num-cpus": "0"},
                    "template": {
                        "spec": {
                            "containers": [{"name": "ray-head", "image": "rayproject/ray:2.53.0"}]
                        }
                    },
                },
                "workerGroupSpecs": [
                    {
                        "groupName": "cpu",
                        "replicas": workers,
                        "minReplicas": 0,
                        "maxReplicas": 4,
                        "rayStartParams": {},
                        "template": {
                            "spec": {
                                "containers": [
                                    {"name": "ray-worker", "image": "rayproject/ray:2.53.0"}
                                ]
                            }
                        },
                    }
                ],
            },
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.settings]),
        )
        self.register_outputs({"cluster_name": "demo"})


namespace = k8s.core.v1.Namespace("ml", metadata={"name": namespace_name})
app = RayApp("app", namespace=namespace.metadata.name)

pulumi.export("namespace", namespace.metadata.name)
pulumi.export("cluster_id", app.cluster.id)
