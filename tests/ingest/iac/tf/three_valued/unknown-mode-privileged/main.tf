# NOT_EVALUATED naming network_mode: a privileged container fails only if the mode is host.
variable "mode" {
  type = string
}

resource "aws_ecs_task_definition" "agent" {
  family       = "agent"
  network_mode = var.mode
  container_definitions = jsonencode([
    {
      name       = "web"
      image      = "public.ecr.aws/nginx/nginx:1.27"
      memory     = 256
      privileged = true
    }
  ])
}
