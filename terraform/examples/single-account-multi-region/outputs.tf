output "state_machine_arns" {
  value = {
    "us-east-1" = module.pipeline_us_east_1.state_machine_arn
    "eu-west-1" = module.pipeline_eu_west_1.state_machine_arn
  }
}
