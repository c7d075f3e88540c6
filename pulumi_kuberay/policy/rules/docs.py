"""Links to the KubeRay (and Kueue, Kubernetes) documentation each rule encodes."""

from __future__ import annotations

from typing import Final

RAY_K8S: Final = "https://docs.ray.io/en/latest/cluster/kubernetes"
CONFIG_GUIDE: Final = f"{RAY_K8S}/user-guides/config.html"
RAY_START_PARAMS: Final = f"{CONFIG_GUIDE}#ray-start-parameters"
RESOURCES: Final = f"{CONFIG_GUIDE}#resources"
CONTAINERS: Final = f"{CONFIG_GUIDE}#pod-configuration-containers"
LARGE_CLUSTERS: Final = f"{RAY_K8S}/user-guides/large-cluster-best-practices.html"
GPU_GUIDE: Final = f"{RAY_K8S}/user-guides/gpu.html"
GPU_TAINTS: Final = f"{GPU_GUIDE}#gpu-taints-and-tolerations"
GCS_FT: Final = f"{RAY_K8S}/user-guides/kuberay-gcs-ft.html"
RAYSERVICE_HA: Final = f"{RAY_K8S}/user-guides/rayservice-high-availability.html"
RAYJOB_QUICKSTART: Final = f"{RAY_K8S}/getting-started/rayjob-quick-start.html"
AUTH: Final = f"{RAY_K8S}/user-guides/kuberay-auth.html"
KUEUE_RAYJOB: Final = "https://kueue.sigs.k8s.io/docs/tasks/run/rayjobs/"
KUEUE_CLUSTER_QUEUE: Final = "https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/"
K8S_SECRETS_ENV: Final = (
    "https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/"
    "#define-container-environment-variables-using-secret-data"
)
POD_SECURITY: Final = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
KUBERAY_VALIDATION: Final = (
    "https://github.com/ray-project/kuberay/blob/v1.5.1/ray-operator/controllers/ray/utils/"
    "validation.go"
)
RAY_TLS: Final = "https://docs.ray.io/en/latest/ray-core/configure.html#tls-authentication"
KUBERAY_TLS: Final = f"{RAY_K8S}/user-guides/tls.html"
CERT_MANAGER_ISSUER_REF: Final = "https://cert-manager.io/docs/usage/certificate/#issuer-references"
