a = [1, "x", {b = [true, null]}]
c = jsonencode({d = var.a[0]})
