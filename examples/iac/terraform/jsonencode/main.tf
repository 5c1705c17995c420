# FAILS aws-ecs-1-privileged-network-mode: host network mode and a privileged container,
# container_definitions written with jsonencode().
resource "aws_ecs_task_definition" "metrics" {
  family                   = "metrics"
  network_mode             = "host"
  requires_compatibilities = ["EC2"]

  container_definitions = jsonencode([
    {
      name       = "node-exporter"
      image      = "quay.io/prometheus/node-exporter:v1.8.2"
      memory     = 128
      essential  = true
      privileged = true
      user       = "65534"
    }
  ])
}
