variable "hub_region" {
  description = "The hub's region (the spoke role is created by the spoke stack in this region)."
  type        = string
}

variable "template_url" {
  description = "The template_url make package printed (bucket in hub_region)."
  type        = string
}

variable "qualys_secret_arn" {
  description = "The hub's Qualys secret."
  type        = string
}

variable "spoke_account_ids" {
  description = "Accounts that forward to the hub."
  type        = list(string)
}

variable "spoke_external_id" {
  description = "External id the spoke role requires; unguessable, used for nothing else."
  type        = string
}

variable "spoke_deployment_role_arn" {
  description = "A role in the spoke account Terraform may assume to create the spoke stack."
  type        = string
}
