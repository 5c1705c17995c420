# PASS for every control: bridge mode, so the unknown user cannot make it a host-mode finding.
variable "agent_user" {
  type = string
}

resource "aws_ecs_task_definition" "agent" {
  family       = "agent"
  network_mode = "bridge"
  container_definitions = jsonencode([
    {
      name   = "web"
      image  = "public.ecr.aws/nginx/nginx:1.27"
      memory = 256
      user   = var.agent_user
    }
  ])
}
