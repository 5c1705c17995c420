locals {
  user = "root"
  containers = [
    { name = "from-local", image = "app:1", user = local.user }
  ]
  containers_json = jsonencode(local.containers)
}

variable "mode" {
  type    = string
  default = "host"
}

resource "aws_ecs_task_definition" "jsonencode" {
  family       = "jsonencode"
  network_mode = var.mode
  container_definitions = jsonencode([
    {
      name       = "web"
      image      = "nginx:1.25"
      privileged = true
      user       = "0"
    },
    {
      name      = "sidecar"
      image     = "busybox"
      essential = false
      portMappings = [
        { containerPort = 9000 }
      ]
      environment = [
        { name = "MODE", value = "sidecar" }
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "heredoc" {
  network_mode          = "host"
  container_definitions = <<EOT
[{"name": "h", "image": "h:1", "privileged": false, "user": "1000:0"}]
EOT
}

resource "aws_ecs_task_definition" "string" {
  network_mode          = "bridge"
  container_definitions = "[{\"name\": \"s\", \"user\": \"root\"}]"
}

resource "aws_ecs_task_definition" "file" {
  network_mode          = "host"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_task_definition" "templatefile" {
  network_mode          = "host"
  container_definitions = templatefile("${path.module}/containers.tftpl", { user = "nobody", privileged = true })
}

resource "aws_ecs_task_definition" "local" {
  network_mode          = "host"
  container_definitions = local.containers_json
}

resource "aws_ecs_task_definition" "counted" {
  count                 = 2
  network_mode          = "host"
  container_definitions = jsonencode([{ name = "c${count.index}", user = "app" }])
}
