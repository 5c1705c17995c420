resource "aws_ecs_task_definition" "good" {
  network_mode          = "host"
  container_definitions = jsonencode([{ name = "g", privileged = true }])
}
