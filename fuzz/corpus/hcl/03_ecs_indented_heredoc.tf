resource "aws_ecs_task_definition" "worker" {
  family       = "worker-${var.environment}"
  network_mode = var.use_host_network ? "host" : "bridge"

  container_definitions = <<-EOT
    [
      {
        "name": "worker",
        "image": "${var.repository_url}:${var.image_tag}",
        "essential": true,
        "privileged": ${var.privileged},
        "user": "${var.run_as}",
        "command": ["bundle", "exec", "sidekiq"],
        "environment": [
          %{ for key, value in var.env ~}
          {"name": "${key}", "value": "${value}"},
          %{ endfor ~}
          {"name": "RAILS_ENV", "value": "production"}
        ]
      }
    ]
  EOT

  volume {
    name = "scratch"
  }
}
