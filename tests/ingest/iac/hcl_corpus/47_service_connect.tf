resource "aws_ecs_service" "connect" {
  name            = "connect"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.fargate.arn
  desired_count   = 2

  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.main.arn

    service {
      port_name      = "web-3000"
      discovery_name = "web"

      client_alias {
        port     = 80
        dns_name = "web.internal"
      }
    }

    log_configuration {
      log_driver = "awslogs"
      options = {
        awslogs-group         = "/ecs/service-connect"
        awslogs-region        = var.region
        awslogs-stream-prefix = "sc"
      }
    }
  }

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }

  triggers = {
    redeployment = plantimestamp()
  }

  tags = {
    for k, v in local.common_tags : k => v if k != "ManagedBy"
  }
}
