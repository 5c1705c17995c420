variable "user" {
  type    = string
  default = "app"
}

resource "aws_ecs_task_definition" "t" {
  network_mode          = "host"
  container_definitions = jsonencode([{ name = "t", user = var.user }])
}
