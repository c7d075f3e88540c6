NAMESPACE = "from-module-a"
