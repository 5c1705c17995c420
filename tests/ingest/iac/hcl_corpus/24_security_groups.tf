resource "aws_security_group" "tasks" {
  name        = "${local.name_prefix}-tasks"
  description = "ECS tasks"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the load balancer"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  ingress {
    description = "Node exporter, host network"
    from_port   = 9100
    to_port     = 9100
    protocol    = "tcp"
    cidr_blocks = concat(var.monitoring_cidrs, ["10.0.0.0/16"])
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-tasks"
  })
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.lb.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
