# FAILS: host network mode; the container list is read with file() and runs privileged.
resource "aws_ecs_task_definition" "agent" {
  family                = "agent"
  network_mode          = "host"
  container_definitions = file("${path.module}/containers.json")
}
