# An organization: the hub stack in the hub account, and the spokes in every account of the chosen OUs by a
# service-managed StackSet with automatic deployment (docs/organizations.md section 3.3). Run from the management
# account, or from the hub account registered as delegated administrator for StackSets (call_as DELEGATED_ADMIN).

provider "aws" {
  region = var.hub_region
}

data "aws_caller_identity" "hub" {}

module "hub" {
  source = "../../modules/pipeline"

  template_url      = var.template_url
  qualys_secret_arn = var.qualys_secret_arn
  deployment_mode   = "hub"
  organization_id   = var.organization_id
  spoke_external_id = var.spoke_external_id
  fleet_regions     = join(",", var.regions)
}

module "spokes" {
  source = "../../modules/spoke-stackset"

  organizational_unit_ids = var.organizational_unit_ids
  # Must contain the hub region: only that instance creates the spoke role.
  regions = var.regions
  call_as = var.call_as

  hub_account_id  = data.aws_caller_identity.hub.account_id
  hub_region      = var.hub_region
  hub_role_arns   = split(",", module.hub.spoke_trusted_role_arns)
  organization_id = var.organization_id
  external_id     = var.spoke_external_id
}
