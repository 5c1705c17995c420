# count past the limit of instances read.
resource "aws_ecs_task_definition" "t" {
  network_mode = "host"
  count = 1001
  container_definitions = jsonencode([{ name = "c", image = "nginx", user = "app" }])
}
