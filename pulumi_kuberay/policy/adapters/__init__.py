"""The adapters that take the pure rules to the world: ``lint`` over YAML files (reading and
rewriting), SARIF output, and the Pulumi policy pack."""
