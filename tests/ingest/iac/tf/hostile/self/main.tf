module "again" {
  source = "./"
}
resource "aws_ecs_task_definition" "t" {
  network_mode = "host"
  container_definitions = jsonencode([{ name = "c", image = "nginx", user = "app" }])
}
