variable "name" {
  type = string
}

variable "user" {
  type = string
}

variable "privileged" {
  type = bool
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "host"
  container_definitions = jsonencode([{
    name       = var.name
    user       = var.user
    privileged = var.privileged
  }])
}
