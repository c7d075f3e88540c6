"""Objects whose inputs depend on values only a real deploy produces."""

import pulumi
import pulumi_kubernetes as k8s

namespace = k8s.core.v1.Namespace("ml", metadata={"name": "ml"})

# No metadata.name: pulumi-kubernetes auto-names it "<resource name>-<random suffix>".
auto_named = k8s.core.v1.ConfigMap(
    "auto-named", metadata={"namespace": namespace.metadata.name}, data={"k": "v"}
)

facts = k8s.core.v1.ConfigMap(
    "facts",
    metadata={"name": "facts", "namespace": namespace.metadata.name},
    data={
        "namespace": namespace.metadata.name,
        "namespace-id": namespace.id,
        "namespace-uid": namespace.metadata.uid,
        "sibling-name": auto_named.metadata.name,
        "greeting": pulumi.Output.concat("hello from ", namespace.id),
    },
)

pulumi.export("namespace", namespace.metadata.name)
pulumi.export("namespace_id", namespace.id)
pulumi.export("sibling", {"name": auto_named.metadata.name, "replicas": 2})
