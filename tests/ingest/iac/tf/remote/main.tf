module "ecs" {
  source                = "terraform-aws-modules/ecs/aws"
  version               = "~> 5.0"
  container_definitions = "[]"
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
