module "ecs_cluster" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 5.0"

  cluster_name = "${local.name_prefix}-cluster"

  fargate_capacity_providers = {
    FARGATE = {
      default_capacity_provider_strategy = {
        weight = 50
        base   = 20
      }
    }
    FARGATE_SPOT = {
      default_capacity_provider_strategy = {
        weight = 50
      }
    }
  }

  tags = local.common_tags
}

module "service" {
  source   = "./modules/ecs-service"
  for_each = local.services

  name         = each.key
  cpu          = each.value.cpu
  network_mode = "host"
  privileged   = each.key == "worker"
  cluster_arn  = module.ecs_cluster.cluster_arn
  subnets      = module.vpc.private_subnets

  depends_on = [module.ecs_cluster]
}

module "vpc" {
  source = "git::https://example.com/network.git//modules/vpc?ref=v1.2.0"
  cidr   = var.vpc_cidr
  azs    = local.azs
}

output "service_arns" {
  value = { for k, m in module.service : k => m.service_arn }
}
