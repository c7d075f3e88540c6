"""The ``kuberay-best-practices`` policy pack: ``pulumi preview --policy-pack policies``.

Only builds the pack (constructing ``PolicyPack`` starts the analyzer server and never returns);
the rules live in ``pulumi_kuberay.policy``.
"""

from pulumi_policy import PolicyPack

from pulumi_kuberay.policy.adapters.pulumi_pack import PACK_ENFORCEMENT, PACK_NAME, build_policies

PolicyPack(name=PACK_NAME, policies=build_policies(), enforcement_level=PACK_ENFORCEMENT)
