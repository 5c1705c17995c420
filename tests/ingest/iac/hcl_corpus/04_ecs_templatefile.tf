locals {
  container_vars = {
    name        = "api"
    image       = "${aws_ecr_repository.api.repository_url}:${var.release}"
    cpu         = 512
    memory      = 1024
    port        = 8080
    log_group   = aws_cloudwatch_log_group.api.name
    region      = data.aws_region.current.name
    privileged  = false
    environment = jsonencode(var.environment_variables)
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = local.container_vars.cpu
  memory                   = local.container_vars.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = templatefile("${path.module}/templates/container_definitions.json.tpl", local.container_vars)

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
}

resource "aws_ecs_task_definition" "sidecar" {
  family = "sidecar"
  container_definitions = templatefile("${path.module}/templates/sidecar.tpl", {
    image   = var.sidecar_image
    ports   = [9000, 9001]
    enabled = true
  })
}
