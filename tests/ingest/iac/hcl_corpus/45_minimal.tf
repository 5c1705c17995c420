terraform {}
locals {}
resource "aws_ecs_cluster" "minimal" {
  name = "minimal"
}
