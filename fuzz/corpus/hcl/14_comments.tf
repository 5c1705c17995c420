# Leading comment
// Another style of line comment
/* A block comment
   spanning lines */

resource "aws_ecs_task_definition" "commented" { # trailing comment after the brace
  family = "commented" // trailing comment
  /* inline */ network_mode = "host"
  cpu = 256 # cpu units

  container_definitions = jsonencode([
    # comment inside a tuple
    {
      name  = "app" // comment inside an object
      image = "busybox" /* block */
      # privileged = true
      privileged = false
      command = [
        "sh", # first
        "-c", /* second */
        "sleep 3600"
      ]
    },
  ])

  # comment before a nested block
  volume {
    // inside nested block
    name = "data"
  }
  /* comment at end of body */
}

/*
 * Commented-out resource:
 * resource "aws_ecs_service" "x" {}
 */

locals {
  # a comment with "quotes" and ${braces} and %{directives}
  value = "not # a comment"
  other = "not // a comment either"
  block = "not /* a comment */ either"
}
# final comment without a trailing newline