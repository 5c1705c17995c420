# FAIL: a privileged container in host mode fails whatever its unknown user is.
variable "agent_user" {
  type = string
}

resource "aws_ecs_task_definition" "agent" {
  family       = "agent"
  network_mode = "host"
  container_definitions = jsonencode([
    {
      name       = "web"
      image      = "public.ecr.aws/nginx/nginx:1.27"
      memory     = 256
      privileged = true
      user       = var.agent_user
    }
  ])
}
