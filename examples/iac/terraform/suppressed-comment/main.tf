# EXCEPTED: a host-mode privileged container with a reviewed, time-limited exception.
# ecsguard:ignore aws-ecs-1-privileged-network-mode reason="CNI daemon programs the host network" owner="platform-networking@example.com" expires=2027-03-31
resource "aws_ecs_task_definition" "cni" {
  family       = "cni-daemon"
  network_mode = "host"
  container_definitions = jsonencode([
    {
      name       = "cni"
      image      = "public.ecr.aws/example/cni-daemon:1.4.0"
      memory     = 128
      essential  = true
      privileged = true
    }
  ])
}
