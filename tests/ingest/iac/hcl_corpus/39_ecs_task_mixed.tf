resource "aws_ecs_task_definition" "bridge_root" {
  family       = "bridge-root"
  network_mode = "bridge"
  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "app:1"
      user      = "root"
      essential = true
    },
    {
      name       = "log-router"
      image      = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
      essential  = true
      user       = "0"
      firelensConfiguration = { type = "fluentbit", options = { "enable-ecs-log-metadata" = "true" } }
    }
  ])
}

resource "aws_ecs_task_definition" "host_nonroot" {
  family       = "host-nonroot"
  network_mode = "host"
  container_definitions = jsonencode([
    {
      name       = "exporter"
      image      = "exporter:2"
      user       = "65534:65534"
      privileged = false
    }
  ])
}

resource "aws_ecs_task_definition" "host_default_user" {
  family                = "host-default-user"
  network_mode          = "host"
  container_definitions = "[{\"name\":\"x\",\"image\":\"busybox\",\"essential\":true}]"
}

resource "aws_ecs_task_definition" "none_mode" {
  family                = "none"
  network_mode          = "none"
  container_definitions = jsonencode([{ name = "batch", image = "batch:3", privileged = true }])
  ipc_mode              = "host"
}
