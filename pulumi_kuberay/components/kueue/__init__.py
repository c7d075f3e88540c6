"""Kueue components: the ``Kueue`` install and the queue objects (ResourceFlavor, ClusterQueue,
Cohort, LocalQueue, WorkloadPriorityClass, AdmissionCheck), each a thin component over its plan
in :mod:`pulumi_kuberay.plans.kueue`."""
