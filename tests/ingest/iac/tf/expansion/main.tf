# for_each over a map of objects, a set and an object built by a for expression; count with
# count.index into a list; a splat; a dynamic block. Instance ids are Terraform's addresses.
variable "agents" {
  type = map(object({
    user       = string
    privileged = optional(bool, false)
  }))
  default = {
    datadog  = { user = "root", privileged = true }
    "otel.1" = { user = "1000" }
  }
}

variable "names" {
  type    = set(string)
  default = ["b", "a", "b"]
}

variable "users" {
  type    = list(string)
  default = ["0", "65534", "1000:1000"]
}

locals {
  sidecars = [
    { name = "log", user = "root", privileged = false },
    { name = "proxy", user = "1337", privileged = true },
  ]
  modes = { for name in var.names : name => name == "a" ? "host" : "bridge" }
  # a splat ends at the parentheses; .* is the attribute-only splat
  users      = (local.sidecars[*].user)
  privileged = local.sidecars.*.privileged
}

resource "aws_ecs_task_definition" "agent" {
  for_each     = var.agents
  family       = each.key
  network_mode = each.value.privileged ? "host" : "awsvpc"
  container_definitions = jsonencode([{
    name       = each.key
    image      = "agent:${each.key}"
    user       = each.value.user
    privileged = each.value.privileged
  }])

  dynamic "volume" {
    for_each = each.value.privileged ? ["docker_sock"] : []
    content {
      name      = volume.value
      host_path = "/var/run/docker.sock"
    }
  }
}

resource "aws_ecs_task_definition" "named" {
  for_each     = var.names
  family       = each.value
  network_mode = local.modes[each.key]
  container_definitions = jsonencode([
    { name = "app", image = "app", user = "${each.value}-user" }
  ])
}

resource "aws_ecs_task_definition" "replica" {
  count        = 3
  family       = "replica-${count.index}"
  network_mode = count.index == 0 ? "host" : "bridge"
  container_definitions = jsonencode([
    { name = "app", image = "app", user = var.users[count.index], privileged = count.index < 2 }
  ])
}

resource "aws_ecs_task_definition" "splat" {
  family       = "splat"
  network_mode = "host"
  container_definitions = jsonencode([
    for i, name in local.sidecars[*].name : {
      name       = name
      image      = name
      user       = local.users[i]
      privileged = local.privileged[i]
    }
  ])
}
