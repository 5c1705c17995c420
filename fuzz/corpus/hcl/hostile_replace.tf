# Hostile input: replace() grows a string 8 times per step.
locals {
  a0 = "xxxxxxxx"
  a1 = replace(local.a0, "x", "xxxxxxxx")
  a2 = replace(local.a1, "x", "xxxxxxxx")
  a3 = replace(local.a2, "x", "xxxxxxxx")
  a4 = replace(local.a3, "x", "xxxxxxxx")
  a5 = replace(local.a4, "x", "xxxxxxxx")
  a6 = replace(local.a5, "x", "xxxxxxxx")
  a7 = replace(local.a6, "x", "xxxxxxxx")
  a8 = replace(local.a7, "x", "xxxxxxxx")
  a9 = replace(local.a8, "x", "xxxxxxxx")
  a10 = replace(local.a9, "x", "xxxxxxxx")
  a11 = replace(local.a10, "x", "xxxxxxxx")
  a12 = replace(local.a11, "x", "xxxxxxxx")
  a13 = replace(local.a12, "x", "xxxxxxxx")
  a14 = replace(local.a13, "x", "xxxxxxxx")
  a15 = replace(local.a14, "x", "xxxxxxxx")
  a16 = replace(local.a15, "x", "xxxxxxxx")
  a17 = replace(local.a16, "x", "xxxxxxxx")
  a18 = replace(local.a17, "x", "xxxxxxxx")
  a19 = replace(local.a18, "x", "xxxxxxxx")
  a20 = replace(local.a19, "x", "xxxxxxxx")
}
resource "aws_ecs_task_definition" "t" {
  network_mode = "host"
  container_definitions = jsonencode([{ name = "c", image = "nginx", user = local.a20 }])
}
