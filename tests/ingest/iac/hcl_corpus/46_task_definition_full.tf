resource "aws_ecs_task_definition" "full" {
  family                   = "full"
  network_mode             = "host"
  requires_compatibilities = ["EC2", "EXTERNAL"]
  pid_mode                 = "task"
  ipc_mode                 = "none"
  skip_destroy             = true
  track_latest             = false

  container_definitions = jsonencode([
    {
      name              = "main"
      image             = "example/main:${var.tag}"
      cpu               = 0
      memory            = 512
      memoryReservation = 256
      essential         = true
      privileged        = var.privileged
      user              = "root"
      readonlyRootFilesystem = false
      workingDirectory  = "/srv"
      entryPoint        = ["/entrypoint.sh"]
      command           = ["serve", "--port", tostring(var.port)]
      dnsServers        = ["10.0.0.2"]
      extraHosts        = [{ hostname = "db", ipAddress = "10.0.1.5" }]
      ulimits           = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
      systemControls    = [{ namespace = "net.core.somaxconn", value = "1024" }]
      linuxParameters = {
        capabilities = {
          add  = ["SYS_ADMIN", "NET_ADMIN"]
          drop = []
        }
        devices = [{ hostPath = "/dev/fuse", permissions = ["read", "write"] }]
      }
      dockerLabels = {
        "com.example.team" = "platform"
        "com.example.tier" = "backend"
      }
      mountPoints = [{ sourceVolume = "docker-sock", containerPath = "/var/run/docker.sock" }]
    }
  ])

  volume {
    name      = "docker-sock"
    host_path = "/var/run/docker.sock"
  }

  placement_constraints {
    type       = "memberOf"
    expression = "attribute:ecs.os-type == linux"
  }

  inference_accelerator {
    device_name = "device_1"
    device_type = "eia1.medium"
  }
}
