# Registry and git modules after `terraform init`: .terraform/modules/modules.json names the
# folder each call was downloaded to (made by hand here; `terraform init -get=false` accepts it).
module "agent" {
  source       = "DataDog/ecs-datadog/aws//modules/ecs_ec2"
  version      = "1.0.0"
  network_mode = "host"
}

module "sidecar" {
  source = "git::https://example.invalid/sidecar.git?ref=v1"
  count  = 2
  user   = count.index == 0 ? "root" : "1000"
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  network_mode          = "host"
  container_definitions = "[${module.agent.container}]"
}
