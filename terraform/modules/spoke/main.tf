# templates/spoke.yaml as it is: plain CloudFormation, small enough for template_body, read from the repository so
# that Terraform and the StackSet commands deploy the same file.
resource "aws_cloudformation_stack" "this" {
  name          = var.stack_name
  template_body = file("${path.module}/../../../templates/spoke.yaml")
  # The spoke role has a fixed name: the hub builds its ARN from the account id.
  capabilities = ["CAPABILITY_NAMED_IAM"]
  tags         = var.tags

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
}
