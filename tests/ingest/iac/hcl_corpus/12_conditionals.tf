resource "aws_ecs_task_definition" "conditional" {
  family       = var.environment == "production" ? "app-prod" : "app-${var.environment}"
  network_mode = var.host_networking ? "host" : "awsvpc"
  cpu          = var.large ? 1024 : (var.medium ? 512 : 256)
  memory       = var.memory != null ? var.memory : 512

  container_definitions = jsonencode([{
    name       = "app"
    image      = var.image
    privileged = var.environment != "production" && var.debug
    user       = var.run_as_root ? "root" : "1000:1000"
    essential  = true
  }])

  task_role_arn = length(var.task_role_arn) > 0 ? var.task_role_arn : null
}

locals {
  nested_ternary = var.a ? "a" : var.b ? "b" : var.c ? "c" : "none"
  in_template    = "mode=${var.host ? "host" : "bridge"}"
  multi_line_cond = (
    var.enabled
    ? "on"
    : "off"
  )
}
