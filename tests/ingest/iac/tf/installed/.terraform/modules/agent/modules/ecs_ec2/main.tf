variable "network_mode" {
  type    = string
  default = "bridge"
}

module "container" {
  source = "../container"
  name   = "datadog-agent"
}

resource "aws_ecs_task_definition" "datadog_agent" {
  family                = "datadog-agent"
  network_mode          = var.network_mode
  container_definitions = "[${module.container.json}]"
}

output "container" {
  value = module.container.json
}
