variable "name" {
  type = string
}

output "json" {
  value = jsonencode({ name = var.name, image = "datadog/agent:7", user = "0", privileged = true })
}
