variable "privileged" {
  type = bool
}

variable "image" {
  type = string
}

resource "aws_ecs_task_definition" "priv" {
  network_mode = "host"
  container_definitions = jsonencode([{
    name       = "app"
    image      = var.image
    privileged = var.privileged
  }])
}

resource "aws_ecs_task_definition" "image_only" {
  network_mode = "host"
  container_definitions = jsonencode([{
    name  = "app"
    image = var.image
    user  = "1000"
  }])
}

resource "aws_ecs_task_definition" "mode" {
  network_mode          = aws_ssm_parameter.mode.value
  container_definitions = jsonencode([])
}

resource "aws_ecs_task_definition" "heredoc_image" {
  network_mode          = "host"
  container_definitions = <<-EOT
    [{"name": "h", "image": "${var.image}:1", "privileged": true}]
  EOT
}

resource "aws_ecs_task_definition" "heredoc_flag" {
  network_mode          = "host"
  container_definitions = <<-EOT
    [{"name": "h", "image": "app", "privileged": ${var.privileged}}]
  EOT
}
