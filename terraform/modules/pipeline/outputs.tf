output "stack_id" {
  description = "The CloudFormation stack's id."
  value       = aws_cloudformation_stack.this.id
}

# template.yaml's Outputs, one to one.

output "state_machine_arn" {
  description = "The scan state machine; start it by hand with {\"functionArn\": \"...\", \"reason\": \"manual\"}."
  value       = aws_cloudformation_stack.this.outputs["StateMachineArn"]
}

output "results_bucket_name" {
  description = "Results (results/, latest/), raw reports (reports/) and dedup claims (claims/)."
  value       = aws_cloudformation_stack.this.outputs["ResultsBucketName"]
}

output "findings_topic_arn" {
  description = "SNS topic receiving one message per scan."
  value       = aws_cloudformation_stack.this.outputs["FindingsTopicArn"]
}

output "qualys_secret_arn" {
  description = "The secret the pipeline reads the Qualys credentials from."
  value       = aws_cloudformation_stack.this.outputs["QualysSecretArn"]
}

output "qualys_secret_created" {
  description = "True when the stack created the secret (put the real token into it unless you gave QualysAccessToken)."
  value       = aws_cloudformation_stack.this.outputs["QualysSecretCreated"]
}

output "dead_letter_queue_url" {
  description = "Lambda change events EventBridge could not deliver to the state machine."
  value       = aws_cloudformation_stack.this.outputs["DeadLetterQueueUrl"]
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_cloudformation_stack.this.outputs["DeadLetterQueueArn"]
}

output "operations_topic_arn" {
  description = "SNS topic receiving the operational alarms."
  value       = aws_cloudformation_stack.this.outputs["OperationsTopicArn"]
}

output "q_scanner_layer_arn" {
  description = "The QScanner layer version the scan function uses (scanner_packaging zip; null for image)."
  value       = lookup(aws_cloudformation_stack.this.outputs, "QScannerLayerArn", null)
}

output "deployment_mode" {
  description = "single-account or hub."
  value       = aws_cloudformation_stack.this.outputs["DeploymentMode"]
}

output "hub_event_bus_arn" {
  description = "The bus templates/spoke.yaml forwards to (spoke parameters HubAccountId, HubRegion, HubEventBusName). Null unless the stack's condition IsHub holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "HubEventBusArn", null)
}

output "spoke_trusted_role_arns" {
  description = "The hub roles the spoke role must trust (spoke parameter HubRoleArns): resolve-target, fetch-credentials, run-qscanner and the fleet's enumeration, exactly; no other principal of the hub account. With SecurityHubExport, store-results too (it imports a spoke function's findings in the spoke's account). Null unless the stack's condition IsHub holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "SpokeTrustedRoleArns", null)
}

output "results_key_arn" {
  description = "The KMS key of the results bucket (a reader of results/ or latest/ needs kms:Decrypt on it)."
  value       = aws_cloudformation_stack.this.outputs["ResultsKeyArn"]
}

output "spoke_parameters" {
  description = "What every spoke stack needs from this hub (plus ExternalId = SpokeExternalId). Null unless the stack's condition IsHub holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "SpokeParameters", null)
}

output "fleet_state_machine_arn" {
  description = "The fleet workflow; start a run by hand with aws stepfunctions start-execution --state-machine-arn <this>."
  value       = aws_cloudformation_stack.this.outputs["FleetStateMachineArn"]
}

output "dashboard_url" {
  description = "The pipeline's CloudWatch dashboard. Null unless the stack's condition MakeDashboard holds."
  value       = lookup(aws_cloudformation_stack.this.outputs, "DashboardUrl", null)
}
