# Variable values as Terraform applies them, later ones winning: terraform.tfvars,
# terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json in name order, -var-file, -var.
variable "mode" {
  type = string
}

variable "user" {
  type = string
}

variable "agent" {
  type = object({
    privileged = optional(bool, false)
    user       = optional(string)
  })
  default = {}
}

resource "aws_ecs_task_definition" "t" {
  family       = "t"
  network_mode = var.mode
  container_definitions = jsonencode([
    { name = "app", image = "app:1", user = var.user },
    { name = "agent", image = "agent:1", privileged = var.agent.privileged, user = var.agent.user },
  ])
}
