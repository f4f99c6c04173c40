variable "region" {
  description = "The region to scan (the packaged template's bucket must be in it)."
  type        = string
}

variable "template_url" {
  description = "The template_url make package printed."
  type        = string
}

variable "qualys_secret_arn" {
  description = "An existing secret holding the Qualys token (keeps the token out of the Terraform state)."
  type        = string
}

variable "notification_email" {
  description = "Email for scan results (empty = none)."
  type        = string
  default     = ""
}
