module "agent" {
  source        = "./td"
  agent         = {}
  mode          = null
  nullable_mode = null
}
