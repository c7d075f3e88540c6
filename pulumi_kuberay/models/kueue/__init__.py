"""Kueue: faithful models of the queue objects (``v1beta2`` by default, ``v1beta1`` for older
Kueue), what an installed Kueue can do, and Kueue's own rules: the API server's checks of queue
objects, how it turns a Ray object into pod sets, and the quota arithmetic that decides whether
a workload can ever be admitted.

https://kueue.sigs.k8s.io/docs/concepts/
"""
