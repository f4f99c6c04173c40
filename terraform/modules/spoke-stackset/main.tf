# templates/spoke.yaml by a service-managed StackSet, as docs/organizations.md does with the AWS CLI: automatic
# deployment to the OUs' accounts, one instance per region. Plain CloudFormation (service-managed StackSets refuse
# transforms), read from the repository so that both paths deploy the same file.
resource "aws_cloudformation_stack_set" "this" {
  name             = var.stack_set_name
  description      = "Qualys Lambda scanner spokes: forward Lambda changes to the hub, role for the hub"
  template_body    = file("${path.module}/../../../templates/spoke.yaml")
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  tags             = var.tags

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  managed_execution {
    active = true
  }

  parameters = {
    HubAccountId           = var.hub_account_id
    HubRegion              = var.hub_region
    HubEventBusName        = var.hub_event_bus_name
    HubRoleArns            = join(",", var.hub_role_arns)
    OrganizationId         = var.organization_id
    ScannerRoleName        = var.scanner_role_name
    ExternalId             = var.external_id
    RoleRegion             = var.role_region
    CodeKmsKeyArns         = var.code_kms_key_arns
    ImageRepositoryArns    = var.image_repository_arns
    PermissionsBoundaryArn = var.permissions_boundary_arn
  }

  # AWS sets the administration role of a service-managed StackSet itself.
  lifecycle {
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "this" {
  for_each = toset(var.regions)

  stack_set_name            = aws_cloudformation_stack_set.this.name
  stack_set_instance_region = each.value
  call_as                   = var.call_as

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }

  operation_preferences {
    max_concurrent_percentage    = 25
    failure_tolerance_percentage = 10
    region_concurrency_type      = "PARALLEL"
  }
}
