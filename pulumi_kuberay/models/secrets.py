"""Recognising secrets by name, so a literal credential in a manifest can be flagged.

Shared by the builders' warnings and the policy pack: a name such as ``WANDB_API_KEY`` or
``hfToken`` holds a credential, and its value belongs in a Kubernetes Secret referenced with
``valueFrom.secretKeyRef``, never in the custom resource itself.
https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# Whole words that name a credential on their own. Plurals such as TOKENS (a count) and
# longer words such as TOKENIZERS (HF's TOKENIZERS_PARALLELISM) are deliberately absent.
_SECRET_WORDS = frozenset(
    {
        "APIKEY",
        "BEARER",
        "CREDENTIAL",
        "CREDENTIALS",
        "PASSPHRASE",
        "PASSWD",
        "PASSWORD",
        "SECRET",
        "TOKEN",
    }
)
# A KEY preceded by one of these is a credential (API_KEY, ACCESS_KEY, PRIVATE_KEY, ...);
# a bare KEY (SORT_KEY, PARTITION_KEY) is not.
_KEY_QUALIFIERS = frozenset(
    {"API", "ACCESS", "SECRET", "PRIVATE", "SIGNING", "ENCRYPTION", "CLIENT", "MASTER", "AUTH"}
)

_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$|^\$\([A-Za-z_][A-Za-z0-9_]*\)$")


def name_words(name: str) -> list[str]:
    """``WANDB_API_KEY``, ``wandbApiKey`` and ``wandb-api-key`` -> ``["WANDB", "API", "KEY"]``."""
    return [word.upper() for word in _WORDS.findall(name)]


def looks_like_secret(name: str) -> bool:
    """Whether an environment variable (or config key) called ``name`` holds a credential.

    >>> looks_like_secret("WANDB_API_KEY"), looks_like_secret("hfToken")
    (True, True)
    >>> looks_like_secret("TOKENIZERS_PARALLELISM"), looks_like_secret("MAX_TOKENS")
    (False, False)
    """
    words = name_words(name)
    if any(word in _SECRET_WORDS for word in words):
        return True
    return any(
        word == "KEY" and index > 0 and words[index - 1] in _KEY_QUALIFIERS
        for index, word in enumerate(words)
    )


def is_literal_secret(name: str, value: object) -> bool:
    """A credential-named variable whose value is written out, not referenced.

    Empty values and references to another variable (``${WANDB_API_KEY}``, ``$(TOKEN)``) carry
    no secret, so they are not flagged.
    """
    if not looks_like_secret(name) or value is None:
        return False
    text = str(value)
    return bool(text) and not _REFERENCE.match(text)


def _fix(name: str) -> str:
    return (
        f"put the value in a Kubernetes Secret and pass it as secret_env={{{name!r}: "
        "SecretRef('<secret>', '<key>')}, which injects it into the Ray containers with "
        "valueFrom.secretKeyRef"
    )


def env_vars_secret_warnings(env_vars: object, at: str) -> list[str]:
    """Warnings for literal credentials in a Ray runtime environment's ``env_vars`` mapping.

    ``at`` is the path of the mapping, e.g. ``spec.runtimeEnvYAML: env_vars``.
    """
    if not isinstance(env_vars, dict):
        return []
    return [
        f"{at}.{name}: a literal value for a credential-like variable is stored in plain text in "
        f"the custom resource, readable by anyone who can read it; {_fix(str(name))}"
        for name, value in env_vars.items()
        if is_literal_secret(str(name), value)
    ]


def pod_template_secret_warnings(template: object, at: str) -> list[str]:
    """Warnings for container env vars with a literal credential in a pod template."""
    spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return []
    warnings = []
    for field in ("initContainers", "containers"):
        for index, container in enumerate(spec.get(field) or []):
            env = container.get("env") if isinstance(container, dict) else None
            for position, item in enumerate(env or []):
                if not isinstance(item, dict) or "value" not in item:
                    continue
                name = str(item.get("name", ""))
                if is_literal_secret(name, item["value"]):
                    warnings.append(
                        f"{at}.spec.{field}[{index}].env[{position}]: {name} has a literal value "
                        "that looks like a credential and is stored in plain text in the custom "
                        f"resource; {_fix(name)}"
                    )
    return warnings
