# optional() attribute defaults, nullable = false, and values converted to the variable's type.
variable "agent" {
  type = object({
    privileged = optional(bool, true)
    user       = optional(string, "0")
    name       = optional(string)
    sidecar    = optional(object({ privileged = optional(bool, true) }), {})
  })
}

variable "mode" {
  type     = string
  default  = "host"
  nullable = false
}

variable "nullable_mode" {
  type    = string
  default = "host"
}

variable "flag" {
  type    = bool
  default = "1"
}

resource "aws_ecs_task_definition" "this" {
  family       = "agent"
  network_mode = var.mode
  container_definitions = jsonencode([
    {
      name       = coalesce(var.agent.name, "agent")
      image      = "agent:1"
      privileged = var.agent.privileged
      user       = var.agent.user
    },
    {
      name       = "sidecar"
      image      = "sidecar:1"
      privileged = var.agent.sidecar.privileged
    },
  ])
}

resource "aws_ecs_task_definition" "nullable" {
  family       = "nullable"
  network_mode = var.nullable_mode
  container_definitions = jsonencode([{
    name       = "app"
    image      = "app:1"
    privileged = var.flag
  }])
}
