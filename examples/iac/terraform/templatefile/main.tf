# FAILS: host network mode; the container list comes from templatefile() with literal variables,
# and the rendered user is root.
resource "aws_ecs_task_definition" "shipper" {
  family       = "log-shipper"
  network_mode = "host"
  container_definitions = templatefile("${path.module}/containers.json.tftpl", {
    image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
    user  = "root"
  })
}
