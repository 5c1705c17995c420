# A task definition in host network mode whose container runs privileged: the risk ecsguard
# looks for, written the way most modules write it (jsonencode of a list of objects).
resource "aws_ecs_task_definition" "node_exporter" {
  family                   = "node-exporter"
  network_mode             = "host"
  requires_compatibilities = ["EC2"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([
    {
      name       = "node-exporter"
      image      = "quay.io/prometheus/node-exporter:v1.7.0"
      essential  = true
      privileged = true
      user       = "root"
      portMappings = [
        {
          containerPort = 9100
          hostPort      = 9100
          protocol      = "tcp"
        }
      ]
      mountPoints = [
        { sourceVolume = "proc", containerPath = "/host/proc", readOnly = true },
        { sourceVolume = "sys", containerPath = "/host/sys", readOnly = true },
      ]
    }
  ])

  volume {
    name      = "proc"
    host_path = "/proc"
  }

  volume {
    name      = "sys"
    host_path = "/sys"
  }

  tags = {
    Team        = "observability"
    Environment = var.environment
  }
}
