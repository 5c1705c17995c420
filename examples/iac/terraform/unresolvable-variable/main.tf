# NOT_EVALUATED: privileged comes from a variable with no default, known only when the
# configuration is applied. ecsguard reports the resource as not evaluated, never as passing.
variable "privileged" {
  type = bool
}

resource "aws_ecs_task_definition" "collector" {
  family       = "collector"
  network_mode = "host"
  container_definitions = jsonencode([
    {
      name       = "collector"
      image      = "otel/opentelemetry-collector-contrib:0.110.0"
      memory     = 256
      essential  = true
      privileged = var.privileged
      user       = "10001"
    }
  ])
}
