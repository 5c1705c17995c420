mode = "bridge"
user = "a"
