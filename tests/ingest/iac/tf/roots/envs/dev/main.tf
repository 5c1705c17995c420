# Two roots call one module with different inputs: each instance is an asset of its own.
module "agent" {
  source = "../../modules/td"
  user   = "root"
}
