"""The rule catalogue, one module per rule or small group of rules.

Each module exports its :class:`~pulumi_kuberay.policy.model.Rule` objects and a ``RULES``
tuple; :mod:`pulumi_kuberay.policy.catalogue` lists them all.
"""
