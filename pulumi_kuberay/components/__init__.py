"""Thin Pulumi ComponentResources over the pure plans: each creates the children its plan
describes."""
