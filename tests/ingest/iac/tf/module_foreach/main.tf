locals {
  services = {
    api    = { user = "1000", privileged = false }
    worker = { user = "root", privileged = true }
  }
}

module "svc" {
  source     = "./modules/td"
  for_each   = local.services
  name       = each.key
  user       = each.value.user
  privileged = each.value.privileged
}

module "replicas" {
  source     = "./modules/td"
  count      = 2
  name       = "replica-${count.index}"
  user       = "app"
  privileged = false
}
