provider "aws" {
  region = var.region

  default_tags {
    tags = local.common_tags
  }
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  assume_role {
    role_arn     = "arn:aws:iam::${var.account_id}:role/terraform"
    session_name = "ecsguard-${terraform.workspace}"
    external_id  = var.external_id
  }

  ignore_tags {
    key_prefixes = ["kubernetes.io/"]
  }
}

provider "aws" {
  alias               = "audit"
  region              = "eu-central-1"
  allowed_account_ids = ["123456789012"]
  skip_credentials_validation = true
}

provider "random" {}
