# Task definitions built with Terraform's built-in functions (issue 10 item 6): each value is
# decided statically, and terraform plan agrees (terraform_oracle_test).
locals {
  settings = { mode = "HOST" }
  agents = {
    datadog = { user = "0", ports = "8125,8126" }
    fluent  = { ports = "24224" }
  }
  tag = regex("v(\\d+)", "release-v42")[0]
}

resource "aws_ecs_task_definition" "agents" {
  family       = format("agents-%03d", 7)
  network_mode = lower(try(local.settings.network_mode, local.settings.mode, "bridge"))
  container_definitions = jsonencode([
    for name in sort(keys(local.agents)) : {
      name       = name
      image      = "public.ecr.aws/${name}:${local.tag}"
      essential  = true
      privileged = can(local.agents[name].user) && startswith(local.agents[name].ports, "8")
      user       = try(local.agents[name].user, null)
      portMappings = [
        for p in split(",", local.agents[name].ports) : { containerPort = tonumber(p) }
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "app" {
  family       = "app"
  network_mode = one(distinct(compact(["awsvpc", "", "awsvpc"])))
  container_definitions = jsonencode([{
    name       = "app"
    image      = "app:${substr(sha256("app"), 0, 8)}"
    essential  = true
    privileged = contains(setunion(["a"], ["b"]), "c")
    user       = format("%d:%d", cidrhost("10.0.0.0/24", 5) == "10.0.0.5" ? 1000 : 0, 1000)
  }])
}
