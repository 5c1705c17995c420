variable "user" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family       = "agent"
  network_mode = "host"
  container_definitions = jsonencode([{
    name  = "agent"
    image = "agent:1"
    user  = var.user
  }])
}
