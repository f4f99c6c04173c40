# The StackSet and where its instances go.

variable "stack_set_name" {
  description = "Name of the service-managed StackSet."
  type        = string
  default     = "qualys-lambda-scanner-spoke"
}

variable "organizational_unit_ids" {
  description = "OUs whose accounts get the spoke (automatic deployment: accounts that join later get it too)."
  type        = list(string)
  validation {
    condition     = length(var.organizational_unit_ids) > 0 && alltrue([for ou in var.organizational_unit_ids : can(regex("^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$", ou))])
    error_message = "The organizational_unit_ids must be one or more OU ids (ou-...) or the root id (r-...)."
  }
}

variable "regions" {
  description = "Regions every account gets an instance in. Must contain hub_region (or role_region): only that instance creates the IAM role."
  type        = list(string)
  validation {
    condition     = length(var.regions) > 0
    error_message = "The regions list must name at least one region."
  }
}

variable "call_as" {
  description = "SELF from the management account, DELEGATED_ADMIN from a delegated administrator (the hub account, for instance)."
  type        = string
  default     = "SELF"
  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.call_as)
    error_message = "The call_as must be SELF or DELEGATED_ADMIN."
  }
}

variable "tags" {
  description = "Tags on the StackSet, propagated to its stacks."
  type        = map(string)
  default     = {}
}

# templates/spoke.yaml's Parameters one to one (TerraformModulesTest keeps them in step): the same name in
# snake_case, the same default, its constraints as validation blocks.

variable "hub_account_id" {
  description = "The account the hub stack runs in."
  type        = string
  validation {
    condition     = can(regex("^\\d{12}$", var.hub_account_id))
    error_message = "HubAccountId: a 12-digit account id."
  }
}

variable "hub_region" {
  description = "The region of the hub stack and its event bus. Spokes in every other region forward there."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.hub_region))
    error_message = "HubRegion: a region name such as us-east-1."
  }
}

variable "hub_event_bus_name" {
  description = "The hub stack's HubEventBusName."
  type        = string
  default     = "qualys-lambda-scanner-hub"
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.hub_event_bus_name))
    error_message = "HubEventBusName: letters, digits and ._-."
  }
}

variable "hub_role_arns" {
  description = "The hub stack's output SpokeTrustedRoleArns: the ARNs of exactly the hub roles that read functions here (resolve-target, fetch-credentials, run-qscanner). The role trusts these and no other principal."
  type        = list(string)
}

variable "organization_id" {
  description = "Optional. The AWS Organization of the hub account: the trust policy then also requires aws:PrincipalOrgID, so a hub account that left the organization loses access."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "OrganizationId: empty, or an organization id (o-...)."
  }
}

variable "scanner_role_name" {
  description = "Name of the role created here; the hub stack's SpokeRoleName. Fixed, so the hub can build its ARN."
  type        = string
  default     = "qualys-lambda-scanner-spoke"
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.scanner_role_name))
    error_message = "ScannerRoleName: an IAM role name (without path)."
  }
}

variable "external_id" {
  description = "The hub stack's SpokeExternalId; the role can only be assumed with it. Configuration, not a secret (AWS's guidance), but unguessable and used for nothing else."
  type        = string
  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224
    error_message = "ExternalId: from 2 to 1224 characters."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.external_id))
    error_message = "ExternalId: 2 to 1224 characters of letters, digits and +=,.@:/_-."
  }
}

variable "role_region" {
  description = "IAM is global: the role exists once per account, so only the stack instance in this region creates it (the others would clash on its name). Empty = HubRegion. Must be one of the StackSet's regions."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[a-z]{2}(-[a-z]+)+-\\d$", var.role_region))
    error_message = "RoleRegion: empty, or a region name."
  }
}

variable "code_kms_key_arns" {
  description = "Customer managed KMS keys (SourceKMSKeyArn) of this account's function code, comma-separated: the role may kms:Decrypt with them, which downloading such code needs. Their key policies must allow it too. Empty = none."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-)?[a-f0-9-]{32,36}(,arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-)?[a-f0-9-]{32,36})*$", var.code_kms_key_arns))
    error_message = "CodeKmsKeyArns: empty, or KMS key ARNs separated by commas."
  }
}

variable "image_repository_arns" {
  description = "ECR repositories in other accounts that this account's function images come from (a name may end in *), comma-separated: the role may pull from them. Their repository policies must admit it too. Empty = none."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:ecr:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:repository/[a-z0-9._/*-]+(,arn:aws[a-z-]*:ecr:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:repository/[a-z0-9._/*-]+)*$", var.image_repository_arns))
    error_message = "ImageRepositoryArns: empty, or ECR repository ARNs separated by commas."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional managed policy ARN set as permissions boundary on the roles this stack creates."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "PermissionsBoundaryArn: empty, or an IAM managed policy ARN."
  }
}
