moved {
  from = aws_ecs_task_definition.old
  to   = aws_ecs_task_definition.new
}

moved {
  from = module.service["legacy"]
  to   = module.service["api"]
}

import {
  to = aws_ecs_cluster.imported
  id = "arn:aws:ecs:eu-west-1:123456789012:cluster/imported"
}

check "task_definition_is_not_host_mode" {
  data "aws_ecs_task_definition" "current" {
    task_definition = aws_ecs_task_definition.api.family
  }

  assert {
    condition     = data.aws_ecs_task_definition.current.network_mode != "host"
    error_message = "Task definition ${aws_ecs_task_definition.api.family} uses host networking."
  }
}

removed {
  from = aws_ecs_service.decommissioned

  lifecycle {
    destroy = false
  }
}
