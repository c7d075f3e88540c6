NAMESPACE = "from-module-b"
