resource "aws_ecs_task_definition" "fargate" {
  family                   = "fargate-web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "${aws_ecr_repository.web.repository_url}@${data.aws_ecr_image.web.image_digest}"
      cpu       = 768
      memory    = 1536
      essential = true
      portMappings = [{
        containerPort = 3000
        protocol      = "tcp"
        appProtocol   = "http"
        name          = "web-3000"
      }]
      healthCheck = {
        command     = ["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 10
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api.name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "web"
        }
      }
      dependsOn = [{ containerName = "migrate", condition = "SUCCESS" }]
    },
    {
      name      = "migrate"
      image     = "${aws_ecr_repository.web.repository_url}:migrate"
      essential = false
      command   = ["npm", "run", "migrate"]
    }
  ])

  ephemeral_storage {
    size_in_gib = 21
  }
}
