"""TLS between Ray nodes with cert-manager: the arguments (``tls=`` of a cluster), the choice
between KubeRay 1.7's native mTLS and per-pod certificates, the CA bootstrap, the per-pod init
container and its injection into every Ray container, and the cert-manager chart install.

https://docs.ray.io/en/latest/ray-core/configure.html#tls-authentication
"""
