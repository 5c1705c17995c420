# Terraform 0.11-era style that 0.12+ still accepts.
variable "legacy_list" {
  type    = "list"
  default = ["a", "b"]
}

resource "aws_ecs_task_definition" "legacy" {
  family                = "${var.family}"
  network_mode          = "${var.network_mode}"
  container_definitions = "${file("${path.module}/legacy.json")}"
  task_role_arn         = "${aws_iam_role.legacy.0.arn}"
}

output "legacy_index" {
  value = "${aws_instance.web.0.private_ip}"
}

output "legacy_splat_index" {
  value = aws_instance.web.*.private_ip[0]
}

output "legacy_splat_legacy_index" {
  value = var.matrix.*.rows.0
}

locals {
  element_legacy = "${element(var.legacy_list, 0)}"
  quoted_count   = "${length(var.legacy_list) > 0 ? 1 : 0}"
}
