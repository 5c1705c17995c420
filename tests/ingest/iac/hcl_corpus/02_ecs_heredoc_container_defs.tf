resource "aws_ecs_task_definition" "legacy_agent" {
  family       = "legacy-agent"
  network_mode = "host"
  pid_mode     = "host"

  container_definitions = <<DEFINITIONS
[
  {
    "name": "agent",
    "image": "${var.agent_image}",
    "cpu": 128,
    "memory": 256,
    "essential": true,
    "privileged": true,
    "environment": [
      {"name": "DD_API_KEY", "value": "${var.api_key}"},
      {"name": "DD_SITE", "value": "datadoghq.eu"}
    ],
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": {
        "awslogs-group": "${aws_cloudwatch_log_group.agent.name}",
        "awslogs-region": "${data.aws_region.current.name}",
        "awslogs-stream-prefix": "agent"
      }
    }
  }
]
DEFINITIONS
}

resource "aws_ecs_task_definition" "plain" {
  family                = "plain"
  container_definitions = <<EOF
[{"name": "web", "image": "nginx:1.25", "essential": true, "user": "0"}]
EOF
}
