output "stack_id" {
  description = "The CloudFormation stack's id."
  value       = aws_cloudformation_stack.this.id
}

# templates/spoke.yaml's Outputs, one to one.

output "scanner_role_arn" {
  description = "The role the hub's scanner functions assume in this account. Null unless the stack's condition CreateScannerRole holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "ScannerRoleArn", null)
}

output "forward_rule_arn" {
  description = "The rule forwarding this region's Lambda change events to the hub bus. Null unless the stack's condition Forward holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "ForwardRuleArn", null)
}

output "forward_dead_letter_queue_url" {
  description = "Events that could not be put on the hub bus; each message body is the event: replay it in the hub with aws stepfunctions start-execution --input (docs/organizations.md). Null unless the stack's condition Forward holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "ForwardDeadLetterQueueUrl", null)
}

output "hub_event_bus_arn" {
  description = "The bus this stack forwards to."
  value       = aws_cloudformation_stack.this.outputs["HubEventBusArn"]
}
