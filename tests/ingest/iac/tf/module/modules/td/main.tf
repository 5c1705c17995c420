variable "name" {
  type = string
}

variable "privileged" {
  type    = bool
  default = false
}

variable "network_mode" {
  type    = string
  default = "host"
}

# ecsguard:ignore aws-ecs-1-privileged-network-mode reason="module default" owner="team@example.com" expires=2030-01-01
resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode
  container_definitions = jsonencode([{
    name       = var.name
    image      = "img"
    privileged = var.privileged
  }])
}
