user = "e"
