locals {
  sum        = var.a + var.b
  difference = var.a - var.b
  product    = var.a * var.b
  quotient   = var.a / var.b
  remainder  = var.a % var.b
  negation   = -var.a
  precedence = var.a + var.b * var.c - var.d / var.e
  grouping   = (var.a + var.b) * var.c
  comparison = var.a > var.b && var.c <= var.d || var.e != var.f
  equality   = var.name == "host" ? true : false
  not_op     = !var.enabled
  double_not = !!var.enabled
  chained    = var.a < var.b == var.c >= var.d
  is_host    = var.network_mode == "host" && (var.privileged || var.user == "root" || var.user == "0")
  unary_lit  = -5 + 3
  not_lit    = !true
  mixed      = -var.offset * 2
}
