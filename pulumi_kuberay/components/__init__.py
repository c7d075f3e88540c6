"""Thin Pulumi ComponentResources over the pure plans: each creates the children its plan
describes, on the shared base in :mod:`pulumi_kuberay.components.base`."""
