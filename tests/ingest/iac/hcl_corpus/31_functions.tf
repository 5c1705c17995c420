locals {
  joined      = join(",", var.list)
  formatted   = format("%s-%03d", var.prefix, var.index)
  replaced    = replace(var.name, "_", "-")
  lowered     = lower(var.NAME)
  trimmed     = trimspace("  padded  ")
  looked_up   = lookup(var.map, "key", "default")
  coalesced   = coalesce(var.maybe_null, var.fallback, "last")
  merged      = merge(local.common_tags, var.extra_tags, { Name = "x" })
  concatenated = concat(var.a_list, ["extra"], [])
  expanded    = max(var.numbers...)
  nested_call = upper(substr(trimspace(var.raw), 0, min(10, length(var.raw))))
  to_set      = toset(["a", "b", "a"])
  try_call    = try(var.object.missing.attr, "fallback")
  can_call    = can(regex("^[a-z]+$", var.name))
  encoded     = base64encode(jsonencode({ a = 1 }))
  decoded     = jsondecode("{\"a\": [1, 2, {\"b\": null}]}")
  cidr        = cidrsubnet("10.0.0.0/16", 8, 2)
  namespaced  = provider::aws::arn_parse("arn:aws:iam::123456789012:role/x")
  templated   = templatefile("${path.module}/tpl/hosts.tpl", { hosts = var.hosts, port = 22 })
  file_read   = file("${path.root}/files/config.yaml")
  multi_arg = format(
    "%s:%s",
    var.repository,
    var.tag,
  )
  timestamp_now = timestamp()
}
