"""Pulumi components and policies for running Ray on Kubernetes with the KubeRay operator."""

from pulumi_kuberay.errors import ValidationError

__version__ = "0.1.0"

__all__ = ["ValidationError", "__version__"]
