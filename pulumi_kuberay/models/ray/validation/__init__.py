"""The KubeRay operator's validation rules as pure functions over spec models.

Each function returns a list of messages (empty when the operator would accept the object);
every message names the field, what is wrong and the fix.
"""
