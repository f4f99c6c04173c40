output "hub_event_bus_arn" {
  value = module.hub.hub_event_bus_arn
}

output "spoke_role_arn" {
  value = module.spoke.scanner_role_arn
}
