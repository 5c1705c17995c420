resource "aws_ecs_task_definition" "crlf" {
  family       = "crlf"
  network_mode = "host"
  # comment with CRLF
  container_definitions = <<EOF
[{"name": "c", "image": "i", "privileged": true}]
EOF
  tags = {
    a = "1"
    b = "2"
  }
  volume {
    name = "v"
  }
}
locals {
  indented = <<-EOT
    one
      two
    EOT
}
