# FAILS: the task definition lives in a local module; its inputs make it host mode and privileged.
module "collector" {
  source       = "./modules/task"
  name         = "collector"
  network_mode = "host"
  privileged   = true
}
