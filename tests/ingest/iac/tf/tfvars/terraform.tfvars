user = "root"
