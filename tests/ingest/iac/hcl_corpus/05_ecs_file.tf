resource "aws_ecs_task_definition" "from_file" {
  family                = "from-file"
  network_mode          = "host"
  container_definitions = file("${path.module}/task-definitions/host-agent.json")
}

resource "aws_ecs_task_definition" "from_decoded_file" {
  family = "decoded"
  container_definitions = jsonencode([
    for c in jsondecode(file("containers.json")) : merge(c, { privileged = false })
  ])
}
