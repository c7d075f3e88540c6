"""A Ray cluster described once (:class:`~pulumi_kuberay.plans.cluster.args.ClusterArgs`) and
its rendering into a ``RayClusterSpec``: groups, accelerators, best practices, images."""
