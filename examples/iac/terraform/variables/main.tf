# PASSES: host network mode from a variable default, but the container is unprivileged and runs
# as a non-root user taken from a local.
variable "network_mode" {
  type    = string
  default = "host"
}

variable "uid" {
  type    = number
  default = 1000
}

locals {
  user = "${var.uid}:${var.uid}"
  containers = [
    {
      name       = "agent"
      image      = "public.ecr.aws/datadog/agent:7"
      memory     = 256
      essential  = true
      privileged = false
      user       = local.user
    }
  ]
}

resource "aws_ecs_task_definition" "agent" {
  family                = "agent"
  network_mode          = var.network_mode
  container_definitions = jsonencode(local.containers)
}
