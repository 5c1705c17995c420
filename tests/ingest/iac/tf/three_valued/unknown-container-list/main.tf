# The container list is a variable without a default: the bridge-mode task PASSes whatever it is,
# the host-mode one is NOT_EVALUATED naming the list.
variable "containers" {
  type = string
}

resource "aws_ecs_task_definition" "bridge" {
  family                = "bridge"
  network_mode          = "bridge"
  container_definitions = var.containers
}

resource "aws_ecs_task_definition" "host" {
  family                = "host"
  network_mode          = "host"
  container_definitions = var.containers
}
