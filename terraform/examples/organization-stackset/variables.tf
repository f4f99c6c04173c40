variable "hub_region" {
  description = "The hub's region; also in regions."
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

variable "organization_id" {
  description = "The organization (o-...)."
  type        = string
}

variable "organizational_unit_ids" {
  description = "OUs whose accounts get the spoke."
  type        = list(string)
}

variable "regions" {
  description = "Regions every spoke account forwards from (hub_region among them)."
  type        = list(string)
}

variable "spoke_external_id" {
  description = "External id the spoke roles require; unguessable, used for nothing else."
  type        = string
}

variable "call_as" {
  description = "SELF (management account) or DELEGATED_ADMIN."
  type        = string
  default     = "SELF"
}
