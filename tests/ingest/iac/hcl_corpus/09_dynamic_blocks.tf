resource "aws_ecs_task_definition" "dynamic" {
  family                = "dynamic-volumes"
  network_mode          = "host"
  container_definitions = jsonencode(local.containers)

  dynamic "volume" {
    for_each = var.volumes
    content {
      name      = volume.value.name
      host_path = lookup(volume.value, "host_path", null)

      dynamic "efs_volume_configuration" {
        for_each = volume.value.efs == null ? [] : [volume.value.efs]
        iterator = efs
        content {
          file_system_id     = efs.value.file_system_id
          root_directory     = try(efs.value.root_directory, "/")
          transit_encryption = "ENABLED"
        }
      }
    }
  }

  dynamic "placement_constraints" {
    for_each = var.placement_constraints
    content {
      type       = placement_constraints.value["type"]
      expression = placement_constraints.value["expression"]
    }
  }
}

resource "aws_security_group" "dynamic_rules" {
  name = "dynamic"

  dynamic "ingress" {
    for_each = toset(var.ports)
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
