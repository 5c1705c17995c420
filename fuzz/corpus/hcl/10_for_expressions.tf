locals {
  upper_names   = [for name in var.names : upper(name)]
  indexed       = [for i, name in var.names : "${i}:${name}"]
  filtered      = [for n in var.numbers : n * 2 if n % 2 == 0]
  by_name       = { for c in var.containers : c.name => c }
  grouped       = { for c in var.containers : c.image => c.name... }
  grouped_if    = { for k, v in var.map : v => k... if k != "" }
  nested        = [for outer in var.matrix : [for inner in outer : inner + 1]]
  flattened     = flatten([for svc, cfg in var.services : [for port in cfg.ports : { service = svc, port = port }]])
  key_and_value = { for k, v in var.tags : lower(k) => upper(v) }
  multi_line = [
    for container in var.containers : {
      name       = container.name
      privileged = try(container.privileged, false)
    }
    if container.essential
  ]
  object_from_tuple = {
    for idx, item in ["a", "b", "c"] :
    item => idx
  }
}
