output "task_definition_arn" {
  description = "ARN of the task definition, including its revision."
  value       = aws_ecs_task_definition.api.arn
}

output "task_definition_revision" {
  value = aws_ecs_task_definition.api.revision
}

output "secret" {
  value     = var.secret_token
  sensitive = true
}

output "endpoints" {
  value = {
    http  = "http://${aws_lb.main.dns_name}"
    https = "https://${aws_lb.main.dns_name}:443"
  }
  depends_on = [aws_lb_listener.https]
}

output "summary" {
  value = <<-EOT
    Cluster:  ${aws_ecs_cluster.main.name}
    Services: ${join(", ", keys(aws_ecs_service.svc))}
    Host mode: ${aws_ecs_task_definition.api.network_mode == "host"}
  EOT
}

output "precondition_example" {
  value = aws_ecs_service.svc["api"].id

  precondition {
    condition     = aws_ecs_task_definition.api.network_mode != "host"
    error_message = "Host network mode is not allowed."
  }
}
