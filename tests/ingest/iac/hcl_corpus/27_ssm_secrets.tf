resource "aws_ssm_parameter" "db_url" {
  name  = "/${var.environment}/api/DATABASE_URL"
  type  = "SecureString"
  value = "postgres://${var.db_user}:${random_password.db.result}@${aws_db_instance.main.address}:5432/app"
}

resource "aws_secretsmanager_secret" "api_key" {
  name                    = "api-key-${var.environment}"
  recovery_window_in_days = 0
}

resource "aws_ecs_task_definition" "with_secrets" {
  family                   = "with-secrets"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = var.image
      essential = true
      secrets = [
        { name = "DATABASE_URL", valueFrom = aws_ssm_parameter.db_url.arn },
        { name = "API_KEY", valueFrom = "${aws_secretsmanager_secret.api_key.arn}:key::" },
      ]
      environment = [for k, v in var.env : { name = k, value = v }]
      readonlyRootFilesystem = true
      linuxParameters = {
        capabilities = {
          add  = []
          drop = ["ALL"]
        }
        initProcessEnabled = true
      }
    }
  ])
}
