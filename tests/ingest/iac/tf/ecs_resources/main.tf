# Services, clusters, task sets and capacity providers (ECS.2, 10, 12, 16, 19): one resource per
# verdict, as cfn/ecs_resources/estate.yaml; ../ecs_resources_json is the same module in
# Terraform's JSON syntax. `unknown*` resources take values from variables without a default.
variable "public_ip" {
  type = bool
}

variable "platform" {
  type = string
}

variable "insights" {
  type = string
}

variable "protection" {
  type = string
}

variable "settings" {
  type = map(string)
}

locals {
  subnets = ["subnet-0123456789abcdef0"]
  asg     = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1a2b3c4d-5678-90ab-cdef-111122223333:autoScalingGroupName/workers"
}

# ecsguard:ignore aws-securityhub-ecs-2 reason="public demo" owner="ops@example.com" expires=2030-01-31
resource "aws_ecs_service" "public" {
  name             = "public"
  cluster          = "dark"
  task_definition  = "app:1"
  launch_type      = "FARGATE"
  platform_version = "1.4.0"
  network_configuration {
    subnets          = local.subnets
    assign_public_ip = true
  }
}

resource "aws_ecs_service" "private" {
  name            = "private"
  cluster         = "insights"
  task_definition = "app:1"
  launch_type     = "FARGATE"
  network_configuration {
    subnets = local.subnets
  }
}

resource "aws_ecs_service" "unknown" {
  name             = "unknown"
  cluster          = "insights"
  task_definition  = "app:1"
  launch_type      = "FARGATE"
  platform_version = var.platform
  network_configuration {
    subnets          = local.subnets
    assign_public_ip = var.public_ip
  }
}

resource "aws_ecs_service" "ec2" {
  name            = "ec2"
  cluster         = "insights"
  task_definition = "app:1"
  launch_type     = "EC2"
}

resource "aws_ecs_cluster" "insights" {
  name = "insights"
  dynamic "setting" {
    for_each = { containerInsights = "enhanced" }
    content {
      name  = setting.key
      value = setting.value
    }
  }
}

resource "aws_ecs_cluster" "dark" {
  name = "dark"
  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_ecs_cluster" "unset" {
  name = "unset"
}

resource "aws_ecs_cluster" "unknown_insights" {
  name = "unknown-insights"
  setting {
    name  = "containerInsights"
    value = var.insights
  }
}

resource "aws_ecs_cluster" "unknown_settings" {
  name = "unknown-settings"
  dynamic "setting" {
    for_each = var.settings
    content {
      name  = setting.key
      value = setting.value
    }
  }
}

resource "aws_ecs_task_set" "public_set" {
  service         = "blue-green"
  cluster         = "dark"
  task_definition = "app:1"
  network_configuration {
    subnets          = local.subnets
    assign_public_ip = true
  }
}

resource "aws_ecs_task_set" "private_set" {
  service         = "blue-green"
  cluster         = "dark"
  task_definition = "app:1"
  network_configuration {
    subnets = local.subnets
  }
}

resource "aws_ecs_task_set" "unknown_set" {
  service         = "blue-green"
  cluster         = "dark"
  task_definition = "app:1"
  network_configuration {
    subnets          = local.subnets
    assign_public_ip = var.public_ip
  }
}

resource "aws_ecs_capacity_provider" "protected" {
  name = "protected"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = local.asg
    managed_termination_protection = "ENABLED"
    managed_scaling {
      status = "ENABLED"
    }
  }
}

resource "aws_ecs_capacity_provider" "unprotected" {
  name = "unprotected"
  auto_scaling_group_provider {
    auto_scaling_group_arn = local.asg
  }
}

resource "aws_ecs_capacity_provider" "unknown_protection" {
  name = "unknown-protection"
  auto_scaling_group_provider {
    auto_scaling_group_arn         = local.asg
    managed_termination_protection = var.protection
    managed_scaling {
      status = "ENABLED"
    }
  }
}
