"""cert-manager (``cert-manager.io/v1``) kinds the library emits: Certificate, Issuer,
ClusterIssuer, and the CertificateRequest a Ray pod submits for itself; the cert-manager Helm
chart's values; and the rules of cert-manager's webhook for them.

Faithful to the v1.21.1 CRDs (https://cert-manager.io/docs/reference/api-docs/).
"""
