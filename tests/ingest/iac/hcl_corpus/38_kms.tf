resource "aws_kms_key" "ecs" {
  description             = "ECS exec and logs"
  deletion_window_in_days = 10
  enable_key_rotation     = true

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Id": "key-default",
      "Statement": [
        {
          "Sid": "Enable IAM User Permissions",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "Allow CloudWatch Logs",
          "Effect": "Allow",
          "Principal": {"Service": "logs.${data.aws_region.current.name}.amazonaws.com"},
          "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
          "Resource": "*"
        }
      ]
    }
  POLICY
}

resource "aws_kms_alias" "ecs" {
  name          = "alias/${local.name_prefix}-ecs"
  target_key_id = aws_kms_key.ecs.key_id
}
