module "agent" {
  source = "../../modules/td"
  user   = "1000"
}

resource "aws_ecs_task_definition" "direct" {
  family       = "direct"
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name  = "web"
    image = "web:1"
    user  = "1000"
  }])
}
