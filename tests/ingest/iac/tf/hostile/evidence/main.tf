# A value read from a file is quoted only as a 64-byte prefix in findings.
resource "aws_ecs_task_definition" "t" {
  network_mode          = "host"
  container_definitions = jsonencode([{ name = "c", image = "nginx", user = file("user.txt") }])
}
