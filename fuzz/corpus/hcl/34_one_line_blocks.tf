resource "aws_ecs_task_definition" "one_line" {
  family                = "one-line"
  container_definitions = jsonencode([{ name = "a", image = "b" }])

  volume { name = "tmp" }
  ephemeral_storage { size_in_gib = 30 }
  proxy_configuration { container_name = "envoy" }
  timeouts { create = "10m" }
}

locals { single = "line" }

terraform { required_version = ">= 1.0" }

resource "null_resource" "empty" {}

data "aws_partition" "current" {}
