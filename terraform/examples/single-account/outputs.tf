output "state_machine_arn" {
  value = module.pipeline.state_machine_arn
}

output "results_bucket_name" {
  value = module.pipeline.results_bucket_name
}
