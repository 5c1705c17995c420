resource "aws_ecs_task_definition" "tabs" {
	family	= "tabs"
	network_mode = "host"
	container_definitions = jsonencode([
		{
			name	= "app"
			image = "app"
		},
	])
	description = <<-EOT
		Tab indented heredoc
			with a deeper line
	EOT
}
