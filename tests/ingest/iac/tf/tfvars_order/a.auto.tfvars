user = "c"
