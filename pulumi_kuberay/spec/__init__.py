"""Pure models of the KubeRay ``ray.io/v1`` API and the operator's validation rules."""
