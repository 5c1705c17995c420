output "instance_ids" {
  value = aws_instance.web[*].id
}

output "private_ips" {
  value = aws_instance.web.*.private_ip
}

output "first_subnet" {
  value = module.vpc.private_subnets[0]
}

output "container_names" {
  value = jsondecode(aws_ecs_task_definition.api.container_definitions)[*].name
}

output "nested_splat" {
  value = var.services[*].ports[0]
}

output "attr_splat_index" {
  value = var.services.*.names[1]
}

output "full_splat_chain" {
  value = aws_lb.main[*].listener[*].arn
}

output "for_each_values" {
  value = values(aws_ecs_service.svc)[*].id
}
