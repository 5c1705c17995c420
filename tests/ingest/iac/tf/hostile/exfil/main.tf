# Hostile input: quotes a host file into the report's evidence.
resource "aws_ecs_task_definition" "t" {
  network_mode          = "host"
  container_definitions = jsonencode([{ name = "c", image = "nginx", user = "root:${file("/etc/passwd")}" }])
}
