# One account, one region: what `make deploy` does, with Terraform. Values from `make package`.

provider "aws" {
  region = var.region
}

module "pipeline" {
  source = "../../modules/pipeline"

  template_url       = var.template_url
  qualys_pod         = "US1"
  qualys_secret_arn  = var.qualys_secret_arn
  notification_email = var.notification_email
  tags               = { project = "qualys-lambda-scanner" }
}
