resource "aws_ecs_task_definition" "bad" {
  network_mode = "host"
  container_definitions = jsonencode([{ name = "x", privileged = true ]})
}
