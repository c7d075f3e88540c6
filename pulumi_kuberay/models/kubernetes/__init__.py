"""The Kubernetes shapes KubeRay objects embed (pod templates, Services, env), checked against
the official client's models, and Kubernetes name, label and quantity syntax."""
