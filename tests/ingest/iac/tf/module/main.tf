module "svc" {
  source     = "./modules/td"
  name       = "svc"
  privileged = true
}

module "off" {
  source = "./modules/td"
  count  = 0
  name   = "off"
}
