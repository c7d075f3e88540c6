"""KubeRay 1.7's validateTLSOptions: with native mTLS on, the TLS env and mount are the
operator's."""

from __future__ import annotations

from pulumi_kuberay.models.capabilities import OperatorCapabilities
from pulumi_kuberay.models.ray.raycluster import RayClusterSpec
from pulumi_kuberay.models.ray.validation.raycluster import native_tls_problems

ON = OperatorCapabilities(version="1.7.0", feature_gates={"RayClusterMTLS": True})


def spec(env: list[dict[str, str]] | None = None, enabled: bool = True) -> RayClusterSpec:
    container = {
        "name": "ray-head",
        "image": "rayproject/ray:2.53.0",
        **({"env": env} if env else {}),
    }
    return RayClusterSpec.model_validate(
        {
            "headGroupSpec": {"template": {"spec": {"containers": [container]}}},
            "workerGroupSpecs": [
                {
                    "groupName": "w",
                    "template": {
                        "spec": {
                            "containers": [
                                {
                                    "name": "w",
                                    "volumeMounts": [{"name": "ray-tls", "mountPath": "/certs"}],
                                }
                            ]
                        }
                    },
                }
            ],
            "tlsOptions": {"enabled": enabled},
        }
    )


def test_tls_env_and_the_operators_volume_are_refused() -> None:
    problems = native_tls_problems(spec([{"name": "RAY_USE_TLS", "value": "1"}]), ON, "spec")
    assert problems == [
        "spec.headGroupSpec.template.spec.containers[0]: sets RAY_USE_TLS, which the operator manages when tlsOptions is enabled; remove it",
        "spec.workerGroupSpecs[0].template.spec.containers[0]: mounts 'ray-tls' at '/certs', where the operator mounts its certificates (ray-tls at /etc/ray/tls) when tlsOptions is enabled; rename or move it",
    ]


def test_nothing_is_checked_while_tls_is_off() -> None:
    assert (
        native_tls_problems(
            spec([{"name": "RAY_USE_TLS", "value": "1"}], enabled=False), ON, "spec"
        )
        == []
    )
    assert (
        native_tls_problems(
            spec([{"name": "RAY_USE_TLS", "value": "1"}]),
            OperatorCapabilities(version="1.7.0"),
            "spec",
        )
        == []
    )
