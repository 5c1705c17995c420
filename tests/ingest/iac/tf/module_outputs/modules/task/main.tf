# A task definition whose containers and network mode come from its caller, and which calls the
# container module itself.
variable "containers" {
  type = string
}

variable "network_mode" {
  type = string
}

module "sidecar" {
  source     = "../container"
  name       = "sidecar"
  privileged = var.network_mode == "host"
}

resource "aws_ecs_task_definition" "this" {
  family                = "task"
  network_mode          = var.network_mode
  container_definitions = jsonencode(concat(jsondecode(var.containers), [module.sidecar.json_map_object]))
}

output "mode" {
  value = var.network_mode
}
