# Module outputs feed the caller: one call, calls with count and for_each, an output of one
# module as the input of another, and an output that is an object.
module "app" {
  source = "./modules/container"
  name   = "app"
  user   = "1000"
}

module "agent" {
  source     = "./modules/container"
  count      = 2
  name       = "agent-${count.index}"
  privileged = count.index == 0
  firelens   = count.index == 1
}

module "by_name" {
  source   = "./modules/container"
  for_each = { log = "root", metrics = "65534" }
  name     = each.key
  user     = each.value
}

module "task" {
  source       = "./modules/task"
  containers   = "[${module.app.json_map_encoded},${module.by_name["log"].json_map_encoded}]"
  network_mode = "host"
}

resource "aws_ecs_task_definition" "single" {
  family                = "single"
  network_mode          = module.task.mode
  container_definitions = module.app.json_map_encoded_list
}

resource "aws_ecs_task_definition" "counted" {
  family                = "counted"
  network_mode          = "host"
  container_definitions = "[${module.agent[0].json_map_encoded},${module.agent[1].json_map_encoded}]"
}

resource "aws_ecs_task_definition" "each" {
  for_each              = module.by_name
  family                = each.key
  network_mode          = "bridge"
  container_definitions = jsonencode([each.value.json_map_object])
}
