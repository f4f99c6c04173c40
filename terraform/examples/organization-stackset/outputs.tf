output "hub_event_bus_arn" {
  value = module.hub.hub_event_bus_arn
}

output "stack_set_arn" {
  value = module.spokes.stack_set_arn
}
