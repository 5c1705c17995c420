resource "aws_ecs_task_definition" "per_service" {
  for_each = local.services

  family       = "${local.name_prefix}-${each.key}"
  network_mode = each.value.public ? "awsvpc" : "host"
  cpu          = each.value.cpu

  container_definitions = jsonencode([{
    name       = each.key
    image      = "${var.registry}/${each.key}:${var.tag}"
    privileged = !each.value.public
    portMappings = each.value.port > 0 ? [{ containerPort = each.value.port }] : []
  }])
}

resource "aws_instance" "ecs" {
  count         = var.instance_count
  ami           = data.aws_ami.ecs.id
  instance_type = count.index == 0 ? "m6i.large" : "m6i.xlarge"
  subnet_id     = element(data.aws_subnets.private.ids, count.index)

  tags = {
    Name  = "ecs-${count.index + 1}"
    Index = count.index
  }
}

resource "aws_ecs_service" "per_service" {
  for_each        = aws_ecs_task_definition.per_service
  name            = each.key
  cluster         = aws_ecs_cluster.main.id
  task_definition = each.value.arn
  desired_count   = lookup(var.desired_counts, each.key, 1)
}
