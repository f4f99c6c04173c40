output "stack_set_id" {
  description = "The StackSet's id."
  value       = aws_cloudformation_stack_set.this.id
}

output "stack_set_arn" {
  description = "The StackSet's ARN."
  value       = aws_cloudformation_stack_set.this.arn
}

output "instance_regions" {
  description = "The regions with an instance (every account of the OUs gets one in each)."
  value       = sort(keys(aws_cloudformation_stack_set_instance.this))
}
