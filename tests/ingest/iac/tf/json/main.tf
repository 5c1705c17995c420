# A .tf file and a .tf.json file (Terraform's JSON syntax, as CDKTF writes it) make one module.
variable "mode" {
  default = "host"
}

locals {
  user = "root"
}
