# The packaged SAM template, deployed as it is (see README.md for why not resources in HCL).
resource "aws_cloudformation_stack" "this" {
  name         = var.stack_name
  template_url = var.template_url
  # The template is SAM (a transform) and creates roles with generated names, as sam deploy does.
  capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
  tags         = var.tags

  parameters = {
    QualysPod                       = var.qualys_pod
    QualysSecretArn                 = var.qualys_secret_arn
    QualysSecretKmsKeyArn           = var.qualys_secret_kms_key_arn
    QualysAccessToken               = var.qualys_access_token
    ScanMode                        = var.scan_mode
    PolicyTags                      = var.policy_tags
    ScanTypes                       = var.scan_types
    ReportFormat                    = var.report_format
    ScanTimeoutSeconds              = var.scan_timeout_seconds
    ScanConcurrency                 = var.scan_concurrency
    ScanEphemeralStorageMiB         = var.scan_ephemeral_storage_mib
    ScannerPackaging                = var.scanner_packaging
    ScannerImageUri                 = var.scanner_image_uri
    CodeKmsKeyArns                  = var.code_kms_key_arns
    ImageRepositoryArns             = var.image_repository_arns
    ExcludeTagKey                   = var.exclude_tag_key
    HonourOptOutTags                = var.honour_opt_out_tags
    OptOutAccountIds                = var.opt_out_account_ids
    ExcludeNamePattern              = var.exclude_name_pattern
    DedupTtlSeconds                 = var.dedup_ttl_seconds
    ResultsRetentionDays            = var.results_retention_days
    ReportsReaderRoleArn            = var.reports_reader_role_arn
    NotificationEmail               = var.notification_email
    PublishScanEvents               = var.publish_scan_events
    TagScannedFunctions             = var.tag_scanned_functions
    SbomSpdx                        = var.sbom_spdx
    AlertOnNewOnly                  = var.alert_on_new_only
    QuarantineOnDeny                = var.quarantine_on_deny
    SecurityHubExport               = var.security_hub_export
    ChatMinSeverity                 = var.chat_min_severity
    SlackWorkspaceId                = var.slack_workspace_id
    SlackChannelId                  = var.slack_channel_id
    TeamsTenantId                   = var.teams_tenant_id
    TeamsTeamId                     = var.teams_team_id
    TeamsChannelId                  = var.teams_channel_id
    SuppressionListKey              = var.suppression_list_key
    OperationsEmail                 = var.operations_email
    Architecture                    = var.architecture
    LogLevel                        = var.log_level
    LogRetentionDays                = var.log_retention_days
    PermissionsBoundaryArn          = var.permissions_boundary_arn
    DeploymentMode                  = var.deployment_mode
    OrganizationId                  = var.organization_id
    SpokeAccountIds                 = var.spoke_account_ids
    HubEventBusName                 = var.hub_event_bus_name
    SpokeRoleName                   = var.spoke_role_name
    SpokeExternalId                 = var.spoke_external_id
    RescanAfterDays                 = var.rescan_after_days
    FleetSchedule                   = var.fleet_schedule
    FleetRegions                    = var.fleet_regions
    FleetMaxConcurrency             = var.fleet_max_concurrency
    FleetToleratedFailurePercentage = var.fleet_tolerated_failure_percentage
    CoverageAlarmThreshold          = var.coverage_alarm_threshold
    FleetAccountsFromOrganization   = var.fleet_accounts_from_organization
    CreateTrail                     = var.create_trail
    CreateDashboard                 = var.create_dashboard
    AthenaDatabaseName              = var.athena_database_name
  }
}
