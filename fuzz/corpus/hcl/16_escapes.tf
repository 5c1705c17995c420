locals {
  newline     = "line1\nline2"
  tab         = "col1\tcol2"
  carriage    = "a\r\nb"
  quote       = "she said \"hi\""
  backslash   = "C:\\Program Files\\App"
  unicode     = "\u00e9\u00e8"
  big_unicode = "\U0001F680"
  dollar      = "cost: $5"
  percent     = "100% sure"
  interp_esc  = "literal $${not.interpolated}"
  direct_esc  = "literal %%{ if not_a_directive }"
  mixed       = "$${a} and ${var.b} and %%{c}"
  shell       = "echo $${HOME} && echo $$PATH"
  lone_dollar = "$"
  regex       = "^[a-z]+\\.[0-9]{2,}$"
  json_in_str = "{\"key\": \"value\", \"n\": 1}"
}

resource "aws_ecs_task_definition" "escapes" {
  family = "escapes"
  container_definitions = <<EOF
[{"name": "sh", "image": "alpine", "command": ["sh", "-c", "echo $${HOME}; echo %%{x}; echo \"quoted\""]}]
EOF
}
