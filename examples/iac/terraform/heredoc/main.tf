# FAILS: host network mode and a root container, container_definitions as a heredoc of JSON.
resource "aws_ecs_task_definition" "proxy" {
  family       = "edge-proxy"
  network_mode = "host"

  container_definitions = <<-JSON
    [
      {
        "name": "envoy",
        "image": "envoyproxy/envoy:v1.31.0",
        "memory": 256,
        "essential": true,
        "user": "root",
        "portMappings": [{ "containerPort": 8080 }]
      }
    ]
  JSON
}
