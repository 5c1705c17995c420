variable "name" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "privileged" {
  type    = bool
  default = false
}

locals {
  image = "otel/opentelemetry-collector-contrib:0.110.0"
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode
  container_definitions = jsonencode([
    {
      name       = var.name
      image      = local.image
      memory     = 256
      essential  = true
      privileged = var.privileged
      user       = "10001"
    }
  ])
}
