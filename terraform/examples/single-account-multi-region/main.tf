# One account, several regions: one stack per region, each from a package in a bucket of its own region (Lambda
# reads function code from the function's region), as `make deploy-multi-region` does with samconfig.toml.

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu_west_1"
  region = "eu-west-1"
}

module "pipeline_us_east_1" {
  source    = "../../modules/pipeline"
  providers = { aws = aws.us_east_1 }

  template_url      = var.template_urls["us-east-1"]
  qualys_pod        = "US1"
  qualys_secret_arn = var.qualys_secret_arns["us-east-1"]
  # CloudTrail: one multi-region trail is enough, from one region.
  create_trail = "true"
}

module "pipeline_eu_west_1" {
  source    = "../../modules/pipeline"
  providers = { aws = aws.eu_west_1 }

  template_url      = var.template_urls["eu-west-1"]
  qualys_pod        = "EU1"
  qualys_secret_arn = var.qualys_secret_arns["eu-west-1"]
}
