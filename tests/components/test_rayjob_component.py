"""The RayJob component under Pulumi mocks: graph, names, dependencies, outputs, secrets."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest

import pulumi_kuberay as kuberay
from pulumi_kuberay.spec import OperatorCapabilities
from tests.conftest import RecordingMocks, RecordingMonitor, run_pulumi

RAYJOB_TYPE = "kubernetes:ray.io/v1:RayJob"
RAYCLUSTER_TYPE = "kubernetes:ray.io/v1:RayCluster"
SECRET_VALUE = "wandb-0123456789-very-secret"


def small_job(resource_name: str = "train", /, **kwargs: Any) -> kuberay.RayJob:
    kwargs.setdefault("namespace", "ml")
    kwargs.setdefault("entrypoint", "python /home/ray/train.py")
    if "cluster" not in kwargs and "existing_cluster" not in kwargs:
        kwargs["cluster"] = kuberay.ClusterArgs(
            worker_groups=[kuberay.WorkerGroup("cpu", replicas=1, cpu=2, memory="4Gi")]
        )
    return kuberay.RayJob(resource_name, **kwargs)


def test_creates_one_custom_resource_parented_to_the_component(
    pulumi_mocks: RecordingMocks,
) -> None:
    run_pulumi(lambda: {"urn": small_job().custom_resource.urn})
    component = pulumi_mocks.one("kuberay:index:RayJob")
    resource = pulumi_mocks.one(RAYJOB_TYPE)
    assert (component.name, resource.name) == ("train", "train")
    assert resource.custom
    assert not component.custom
    assert pulumi_mocks.registration(RAYJOB_TYPE, "train").parent.endswith(
        "kuberay:index:RayJob::train"
    )


def test_sends_the_manifest_it_built(pulumi_mocks: RecordingMocks) -> None:
    holder: dict[str, kuberay.RayJob] = {}

    def program() -> None:
        holder["job"] = small_job(name="nightly-train", labels={"team": "ml"})

    run_pulumi(program)
    inputs = pulumi_mocks.one(RAYJOB_TYPE).inputs
    assert inputs["apiVersion"] == "ray.io/v1"
    assert inputs["kind"] == "RayJob"
    assert inputs["metadata"] == {
        "name": "nightly-train",
        "namespace": "ml",
        "labels": {"team": "ml"},
    }
    assert inputs["spec"] == holder["job"].manifest["spec"]
    assert "status" not in inputs


def test_the_secret_value_never_reaches_the_custom_resource(pulumi_mocks: RecordingMocks) -> None:
    def program() -> None:
        secret = k8s.core.v1.Secret(
            "wandb",
            metadata={"name": "wandb", "namespace": "ml"},
            string_data={"api-key": pulumi.Output.secret(SECRET_VALUE)},
        )
        small_job(
            secret_env={"WANDB_API_KEY": kuberay.SecretRef("wandb", "api-key")},
            runtime_env=kuberay.RuntimeEnv(pip=["wandb"], env_vars={"WANDB_PROJECT": "demo"}),
            opts=pulumi.ResourceOptions(depends_on=[secret]),
        )

    run_pulumi(program)
    assert SECRET_VALUE in json.dumps(
        pulumi_mocks.one("kubernetes:core/v1:Secret").inputs, default=str
    )
    job_inputs = json.dumps(pulumi_mocks.one(RAYJOB_TYPE).inputs)
    assert SECRET_VALUE not in job_inputs
    spec = pulumi_mocks.one(RAYJOB_TYPE).inputs["spec"]
    ref = {
        "name": "WANDB_API_KEY",
        "valueFrom": {"secretKeyRef": {"name": "wandb", "key": "api-key"}},
    }
    assert (
        ref in spec["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["env"]
    )
    assert ref in spec["submitterPodTemplate"]["spec"]["containers"][0]["env"]
    assert "WANDB_API_KEY" not in spec["runtimeEnvYAML"]
    # The component's depends_on reaches its custom resource, so the Secret exists first.
    deps = pulumi_mocks.registration(RAYJOB_TYPE, "train").dependencies
    assert any(dep.endswith("kubernetes:core/v1:Secret::wandb") for dep in deps)


def test_a_literal_credential_is_a_warning_not_an_error(
    pulumi_mocks: RecordingMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder: dict[str, kuberay.RayJob] = {}
    logged: list[str] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda message, resource=None, **_: logged.append(message)
    )

    def program() -> None:
        holder["job"] = small_job(runtime_env={"env_vars": {"WANDB_API_KEY": "secret"}})

    run_pulumi(program)
    (warning,) = holder["job"].warnings
    assert warning.startswith("spec.runtimeEnvYAML: env_vars.WANDB_API_KEY: a literal value")
    assert "secret_env={'WANDB_API_KEY': SecretRef(" in warning
    assert logged == [f"RayJob train: {warning}"]


def test_runs_on_an_existing_cluster_component(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        cluster = kuberay.RayCluster(
            "shared",
            namespace="ml",
            image="rayproject/ray:2.53.0-py311",
            worker_groups=[kuberay.WorkerGroup("cpu", cpu=2, memory="4Gi")],
        )
        job = kuberay.RayJob(
            "on-shared",
            entrypoint="python x.py",
            existing_cluster=cluster,
            secret_env={"HF_TOKEN": kuberay.SecretRef("hf", "token")},
        )
        return {
            "namespace": job.namespace,
            "cluster_name": job.cluster_name,
            "dashboard": job.dashboard_url,
        }

    outputs = run_pulumi(program)
    assert outputs == {
        "namespace": "ml",
        "cluster_name": "shared",
        "dashboard": "http://shared-head-svc.ml.svc.cluster.local:8265",
    }
    inputs = pulumi_mocks.one(RAYJOB_TYPE).inputs
    assert inputs["metadata"]["namespace"] == "ml"  # taken from the cluster
    assert inputs["spec"]["clusterSelector"] == {"ray.io/cluster": "shared"}
    assert "rayClusterSpec" not in inputs["spec"]
    submitter = inputs["spec"]["submitterPodTemplate"]["spec"]["containers"][0]
    assert submitter["image"] == "rayproject/ray:2.53.0-py311"
    deps = pulumi_mocks.registration(RAYJOB_TYPE, "on-shared").dependencies
    assert any(dep.endswith(f"{RAYCLUSTER_TYPE}::shared") for dep in deps)


def test_the_job_must_live_in_its_clusters_namespace(pulumi_mocks: RecordingMocks) -> None:
    cluster = kuberay.RayCluster("shared", namespace="ml")
    with pytest.raises(kuberay.ValidationError) as caught:
        kuberay.RayJob("x", namespace="other", existing_cluster=cluster, entrypoint="python x.py")
    assert caught.value.problems == [
        "namespace: the RayJob is in 'other' but cluster 'shared' is in 'ml'; KubeRay looks the "
        "cluster up in the job's own namespace, so put the job there (or leave namespace unset)"
    ]


def test_an_existing_cluster_and_a_cluster_description_are_exclusive(
    pulumi_mocks: RecordingMocks,
) -> None:
    with pytest.raises(kuberay.ValidationError, match="pass either existing_cluster"):
        small_job(
            existing_cluster="shared",
            cluster=kuberay.ClusterArgs(worker_groups=[kuberay.WorkerGroup("cpu")]),
        )
    cluster = kuberay.RayCluster("shared", namespace="ml")
    with pytest.raises(kuberay.ValidationError, match="pass it as existing_cluster="):
        small_job(cluster=cluster)


def test_outputs_of_a_job_with_its_own_cluster(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        job = small_job(job_id="run-42")
        return {
            "name": job.name,
            "namespace": job.namespace,
            "job_id": job.job_id,
            "cluster_name": job.cluster_name,
            "dashboard": job.dashboard_url,
        }

    # The mock engine reports no status: what only the operator knows stays None.
    assert run_pulumi(program) == {
        "name": "train",
        "namespace": "ml",
        "job_id": "run-42",
        "cluster_name": None,
        "dashboard": None,
    }


class StatusMocks(RecordingMocks):
    """An engine that returns the RayJob's status, as the Kubernetes provider does after deploy."""

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        resource_id, outputs = super().new_resource(args)
        if args.typ == RAYJOB_TYPE:
            outputs["status"] = {"jobId": "train-x7k2p", "rayClusterName": "train-abcde"}
        return resource_id, outputs


def test_job_id_and_cluster_come_from_the_status_after_deploy() -> None:
    mocks = StatusMocks()
    pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=False, monitor=mocks.monitor)

    def program() -> dict[str, Any]:
        job = small_job()
        return {"job_id": job.job_id, "cluster": job.cluster_name, "dashboard": job.dashboard_url}

    assert run_pulumi(program) == {
        "job_id": "train-x7k2p",
        "cluster": "train-abcde",
        "dashboard": "http://train-abcde-head-svc.ml.svc.cluster.local:8265",
    }


def test_job_id_is_unknown_during_preview() -> None:
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=True, monitor=mocks.monitor)
    known: dict[str, bool] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def body() -> Any:
        job = small_job()

        async def check() -> None:
            known["job_id"] = await job.job_id.is_known()
            known["name"] = await job.name.is_known()
            known["dashboard"] = await job.dashboard_url.is_known()

        return pulumi.Output.from_input(check())

    body()
    assert known == {"job_id": False, "name": True, "dashboard": False}


def test_wait_for_ready_waits_for_completion(pulumi_mocks: RecordingMocks) -> None:
    run_pulumi(lambda: {"n": small_job(wait_for_ready=True, ready_timeout_seconds=7200).name})
    assert pulumi_mocks.one(RAYJOB_TYPE).inputs["metadata"]["annotations"] == {
        "pulumi.com/waitFor": "jsonpath={.status.jobDeploymentStatus}=Complete",
        "pulumi.com/timeoutSeconds": "7200",
    }
    with pytest.raises(kuberay.ValidationError, match="ready_timeout_seconds: must be positive"):
        small_job("other", wait_for_ready=True, ready_timeout_seconds=0)


class OptionsMonitor(RecordingMonitor):
    """Also keeps the replacement options of each registration."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.replacement: dict[str, tuple[list[str], bool]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        self.replacement[request.name + "/" + request.type] = (
            list(request.replaceOnChanges),
            bool(request.deleteBeforeReplace),
        )
        return super().RegisterResource(request)


@pytest.mark.parametrize(("rerun", "expected"), [(True, (["spec"], True)), (False, ([], False))])
def test_a_changed_spec_reruns_the_job(rerun: bool, expected: tuple[list[str], bool]) -> None:
    mocks = RecordingMocks()
    mocks.monitor = OptionsMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=False, monitor=mocks.monitor)
    run_pulumi(lambda: {"n": small_job(rerun_on_change=rerun).name})
    assert mocks.monitor.replacement[f"train/{RAYJOB_TYPE}"] == expected


class FakeOperator(pulumi.ComponentResource):
    """Stands in for KubeRayOperator: knows its capabilities and owns one child."""

    def __init__(self, name: str, capabilities: OperatorCapabilities) -> None:
        super().__init__("test:index:Operator", name)
        self.capabilities = capabilities
        k8s.core.v1.ConfigMap(f"{name}-child", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def test_depends_on_the_operator_and_uses_its_gates(pulumi_mocks: RecordingMocks) -> None:
    strategy = kuberay.DeletionStrategy(
        deletion_rules=[
            kuberay.DeletionRule(
                policy="DeleteCluster",
                condition=kuberay.DeletionCondition(job_status="SUCCEEDED", ttl_seconds=60),
            )
        ]
    )
    without_gate = FakeOperator("plain", OperatorCapabilities())
    with pytest.raises(
        kuberay.ValidationError, match="needs the RayJobDeletionPolicy feature gate"
    ):
        small_job("a", operator=without_gate, deletion_strategy=strategy)

    def program() -> None:
        operator = FakeOperator(
            "kuberay", OperatorCapabilities(feature_gates={"RayJobDeletionPolicy": True})
        )
        small_job(operator=operator, deletion_strategy=strategy)

    run_pulumi(program)
    deps = pulumi_mocks.registration(RAYJOB_TYPE, "train").dependencies
    assert any(dep.endswith("::kuberay-child") for dep in deps)
    assert "shutdownAfterJobFinishes" not in pulumi_mocks.one(RAYJOB_TYPE).inputs["spec"]


def test_namespace_from_another_resource(pulumi_mocks: RecordingMocks) -> None:
    def program() -> dict[str, Any]:
        ns = k8s.core.v1.Namespace("team", metadata={"name": "team"})
        job = small_job(namespace=ns.metadata.apply(lambda m: m["name"]), existing_cluster="shared")
        return {"dashboard": job.dashboard_url}

    outputs = run_pulumi(program)
    assert pulumi_mocks.one(RAYJOB_TYPE).inputs["metadata"]["namespace"] == "team"
    assert outputs["dashboard"] == "http://shared-head-svc.team.svc.cluster.local:8265"


def test_a_namespace_the_operator_does_not_watch_fails_at_deploy(
    pulumi_mocks: RecordingMocks,
) -> None:
    operator = FakeOperator("kuberay", OperatorCapabilities(watch_namespaces=["ml"]))
    with pytest.raises(kuberay.ValidationError, match="so a RayJob in 'other' would never"):
        small_job(namespace="other", operator=operator)
