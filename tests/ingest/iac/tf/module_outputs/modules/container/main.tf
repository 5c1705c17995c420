# Renders one container definition, as cloudposse/ecs-container-definition does: the JSON the
# caller puts in container_definitions comes out of the module's outputs.
variable "name" {
  type = string
}

variable "user" {
  type    = string
  default = null
}

variable "privileged" {
  type    = bool
  default = null
}

variable "firelens" {
  type    = bool
  default = false
}

locals {
  user = var.firelens ? "0" : var.user
  definition = {
    name       = var.name
    image      = "${var.name}:latest"
    user       = local.user
    privileged = var.privileged
  }
  without_null = { for k, v in local.definition : k => v if v != null }
  json_map     = jsonencode(local.without_null)
}

output "json_map_encoded_list" {
  value = "[${local.json_map}]"
}

output "json_map_encoded" {
  value = local.json_map
}

output "json_map_object" {
  value = local.without_null
}
