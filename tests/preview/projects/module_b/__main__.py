"""Names its namespace after the local ``helpers`` module's constant."""

import helpers
import pulumi_kubernetes as k8s

k8s.core.v1.Namespace("ns", metadata={"name": helpers.NAMESPACE})
