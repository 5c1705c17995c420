# dynamic blocks as modules write them: runtime_platform and volume expanded from variables.
variable "os_family" {
  default = "WINDOWS_SERVER_2022_CORE"
}

variable "efs_volumes" {
  default = {
    data  = { file_system_id = "fs-0001", transit_encryption = "DISABLED" }
    certs = { file_system_id = "fs-0002", transit_encryption = "ENABLED" }
  }
}

variable "volumes_from_caller" {}

resource "aws_ecs_task_definition" "expanded" {
  family                = "expanded"
  network_mode          = "awsvpc"
  container_definitions = jsonencode([{ name = "app", image = "app:1", user = "ContainerUser" }])

  dynamic "runtime_platform" {
    for_each = [var.os_family]
    content {
      operating_system_family = runtime_platform.value
      cpu_architecture        = "X86_64"
    }
  }

  dynamic "volume" {
    for_each = var.efs_volumes
    iterator = v
    content {
      name = v.key
      efs_volume_configuration {
        file_system_id     = v.value.file_system_id
        transit_encryption = v.value.transit_encryption
      }
    }
  }
}

resource "aws_ecs_task_definition" "none" {
  family                = "none"
  container_definitions = jsonencode([{ name = "app", image = "app:1" }])

  dynamic "volume" {
    for_each = []
    content {
      name = volume.key
    }
  }
}

resource "aws_ecs_task_definition" "unknown" {
  family                = "unknown"
  container_definitions = jsonencode([{ name = "app", image = "app:1" }])

  dynamic "volume" {
    for_each = var.volumes_from_caller
    content {
      name = volume.key
      efs_volume_configuration {
        file_system_id     = volume.value
        transit_encryption = "DISABLED"
      }
    }
  }
}
