variable "template_urls" {
  description = "Region => the template_url make package printed for that region (PACKAGE_BUCKET in that region)."
  type        = map(string)
}

variable "qualys_secret_arns" {
  description = "Region => the Qualys secret in that region."
  type        = map(string)
}
