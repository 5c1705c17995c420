variable "user" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family       = "sidecar"
  network_mode = "host"
  container_definitions = jsonencode([
    { name = "sidecar", image = "sidecar", user = var.user }
  ])
}
