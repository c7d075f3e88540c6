"""Faithful models of KubeRay's ``ray.io/v1`` objects and, in ``validation``, the
operator's rules."""
