# A hub account scans its spokes (docs/organizations.md section 3): the hub stack, then one spoke stack per spoke
# account and region, through a role Terraform assumes there. For an organization, see ../organization-stackset.

provider "aws" {
  alias  = "hub"
  region = var.hub_region
}

provider "aws" {
  alias  = "spoke"
  region = var.hub_region
  assume_role {
    role_arn = var.spoke_deployment_role_arn
  }
}

data "aws_caller_identity" "hub" {
  provider = aws.hub
}

locals {
  hub_event_bus_name = "qualys-lambda-scanner-hub"
}

module "hub" {
  source    = "../../modules/pipeline"
  providers = { aws = aws.hub }

  template_url       = var.template_url
  qualys_secret_arn  = var.qualys_secret_arn
  deployment_mode    = "hub"
  hub_event_bus_name = local.hub_event_bus_name
  spoke_account_ids  = join(",", var.spoke_account_ids)
  spoke_external_id  = var.spoke_external_id
}

module "spoke" {
  source    = "../../modules/spoke"
  providers = { aws = aws.spoke }

  hub_account_id     = data.aws_caller_identity.hub.account_id
  hub_region         = var.hub_region
  hub_event_bus_name = local.hub_event_bus_name
  hub_role_arns      = split(",", module.hub.spoke_trusted_role_arns)
  external_id        = var.spoke_external_id
}
