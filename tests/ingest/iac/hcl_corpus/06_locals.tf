locals {
  name_prefix = "${var.project}-${var.environment}"
  common_tags = {
    Project       = var.project
    Environment   = var.environment
    ManagedBy     = "terraform"
    "cost:center" = "1234"
  }

  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = [for i, az in local.azs : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i, az in local.azs : cidrsubnet(var.vpc_cidr, 4, i + length(local.azs))]

  services = {
    api    = { port = 8080, public = true, cpu = 512 }
    worker = { port = 0, public = false, cpu = 1024 }
    cron   = { port = 0, public = false, cpu = 256 }
  }
}

locals {
  public_services = { for name, svc in local.services : name => svc if svc.public }
  ports           = [for svc in values(local.services) : svc.port if svc.port > 0]
  tags_with_name  = merge(local.common_tags, { Name = local.name_prefix })
  is_production   = var.environment == "production"
  replica_count   = local.is_production ? 3 : 1
}
