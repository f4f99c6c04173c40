# The stack itself.

variable "stack_name" {
  description = "Name of the CloudFormation stack (samconfig.toml's stack_name)."
  type        = string
  default     = "qualys-lambda-scanner"
}

variable "template_url" {
  description = "S3 URL of the packaged template that make package uploaded and printed (its code must sit in a bucket of this stack's region)."
  type        = string
  validation {
    condition     = can(regex("^https://[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?/.+", var.template_url))
    error_message = "The template_url must be the https S3 URL make package printed."
  }
}

variable "tags" {
  description = "Tags CloudFormation puts on the stack and propagates to the resources that support them."
  type        = map(string)
  default     = {}
}

# template.yaml's Parameters one to one (TerraformModulesTest keeps them in step): the same name in
# snake_case, the same default, its constraints as validation blocks.

variable "qualys_pod" {
  description = "The Qualys platform your subscription lives on (QScanner's --pod)."
  type        = string
  default     = "US1"
  validation {
    condition     = contains(["US1", "US2", "US3", "US4", "EU1", "EU2", "EU3", "IN1", "CA1", "AE1", "UK1", "AU1", "KSA1"], var.qualys_pod)
    error_message = "QualysPod: one of US1, US2, US3, US4, EU1, EU2, EU3, IN1, CA1, AE1, UK1, AU1, KSA1."
  }
}

variable "qualys_secret_arn" {
  description = "Full ARN (with its 6-character suffix) of an existing Secrets Manager secret holding {\"accessToken\": \"...\"} or {\"clientId\": \"...\", \"clientSecret\": \"...\"}, in this region. It may belong to another account (a shared secret: resource policy and customer managed key, see docs/organizations.md). Empty: the stack creates the secret."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$", var.qualys_secret_arn))
    error_message = "QualysSecretArn: empty, or a full secret ARN including the 6-character suffix."
  }
}

variable "qualys_secret_kms_key_arn" {
  description = "Only when QualysSecretArn is encrypted with a customer managed KMS key: that key's ARN, so the functions may decrypt through Secrets Manager. Empty for the AWS managed key."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$", var.qualys_secret_kms_key_arn))
    error_message = "QualysSecretKmsKeyArn: empty, or a KMS key ARN (arn:aws:kms:region:account:key/id)."
  }
}

variable "qualys_access_token" {
  description = "Only when QualysSecretArn is empty: the Qualys access token stored in the secret the stack creates. Empty: the stack creates the secret with a random placeholder; put the real value with `aws secretsmanager put-secret-value` before the first scan."
  type        = string
  default     = ""
  sensitive   = true
  validation {
    condition     = length(var.qualys_access_token) <= 4096
    error_message = "QualysAccessToken: at most 4096 characters."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9._~+/=-]*$", var.qualys_access_token))
    error_message = "QualysAccessToken: a token (letters, digits and ._~+/=- only)."
  }
}

variable "scan_mode" {
  description = "get-report fetches the vulnerability report; evaluate-policy also evaluates your central policies."
  type        = string
  default     = "get-report"
  validation {
    condition     = contains(["get-report", "evaluate-policy"], var.scan_mode)
    error_message = "ScanMode: one of get-report, evaluate-policy."
  }
}

variable "policy_tags" {
  description = "Comma-separated policy tags for evaluate-policy mode (empty = all policies)."
  type        = string
  default     = ""
  validation {
    condition     = length(var.policy_tags) <= 1024
    error_message = "PolicyTags: at most 1024 characters."
  }
  validation {
    condition     = can(regex("^$|^[A-Za-z0-9_.:@-]+(,[A-Za-z0-9_.:@-]+)*$", var.policy_tags))
    error_message = "PolicyTags: comma-separated tags (no spaces) of letters, digits and _.:@-."
  }
}

variable "scan_types" {
  description = "Comma-separated QScanner scan types."
  type        = string
  default     = "pkg,secret"
  validation {
    condition     = can(regex("^(os|pkg|sca|secret|malware|fileinsight|compliance)(,(os|pkg|sca|secret|malware|fileinsight|compliance))*$", var.scan_types))
    error_message = "ScanTypes: comma-separated list of os, pkg, sca, secret, malware, fileinsight, compliance."
  }
}

variable "report_format" {
  description = "The vulnerability report QScanner writes and the pipeline parses and keeps in S3: SARIF 2.1.0 (QScanner's own default, read as Qualys's integrations read it), or QScanner's JSON."
  type        = string
  default     = "sarif"
  validation {
    condition     = contains(["sarif", "json"], var.report_format)
    error_message = "ReportFormat: one of sarif, json."
  }
}

variable "scan_timeout_seconds" {
  description = "Upper bound for one qscanner run. The function (900 s) keeps a safety margin on top to upload the reports and answer, so at most 840."
  type        = number
  default     = 300
  validation {
    condition     = var.scan_timeout_seconds >= 60 && var.scan_timeout_seconds <= 840
    error_message = "ScanTimeoutSeconds: from 60 to 840."
  }
}

variable "scan_concurrency" {
  description = "Reserved concurrency of Run QScanner: at most this many scans (2 GB each, and Qualys API calls) at once. A burst above it waits in the state machine's throttle retries (docs/operations.md says how many it holds). -1: no reservation, for accounts whose concurrency quota is too small to reserve any (Lambda keeps a floor unreserved)."
  type        = number
  default     = 10
  validation {
    condition     = var.scan_concurrency >= -1 && var.scan_concurrency <= 1000
    error_message = "ScanConcurrency: from -1 to 1000."
  }
}

variable "scan_ephemeral_storage_mib" {
  description = "/tmp of the scan function: qscanner unpacks the code, layers or image there, and keeps java-db (about 650 MiB compressed) once per container; raise it for large images; billed per GB-second above 512."
  type        = number
  default     = 4096
  validation {
    condition     = var.scan_ephemeral_storage_mib >= 3072 && var.scan_ephemeral_storage_mib <= 10240
    error_message = "ScanEphemeralStorageMiB: from 3072 to 10240."
  }
}

variable "scanner_packaging" {
  description = "zip: the scan function is a java25 zip function with the qscanner binary in a layer. image: a container image holding the function and the binary (for binaries over the layer limits); pass scanner_image_uri (docs/deployment.md)."
  type        = string
  default     = "zip"
  validation {
    condition     = contains(["zip", "image"], var.scanner_packaging)
    error_message = "ScannerPackaging: one of zip, image."
  }
}

variable "scanner_image_uri" {
  description = "With scanner_packaging image: the scan function's image in ECR of this account and region (built from functions/run-qscanner/Dockerfile and pushed; make package prints it)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.scanner_image_uri))
    error_message = "ScannerImageUri: empty, or an ECR image URI with a tag or digest."
  }
}

variable "code_kms_key_arns" {
  description = "Functions whose code is encrypted with a customer managed KMS key (SourceKMSKeyArn) can only be downloaded by principals allowed kms:Decrypt on it: these keys' ARNs, comma-separated, are granted to the scan function. Their key policies must allow it too (docs/iam.md). Empty = none."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-)?[a-f0-9-]{32,36}(,arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/(mrk-)?[a-f0-9-]{32,36})*$", var.code_kms_key_arns))
    error_message = "CodeKmsKeyArns: empty, or KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>) separated by commas."
  }
}

variable "image_repository_arns" {
  description = "ECR repositories outside this account and region that function images come from (a repository name may end in *), comma-separated: the scan function may pull from them. Their repository policies must allow it too (docs/iam.md). Empty = this account's repositories in this region only."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:ecr:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:repository/[a-z0-9._/*-]+(,arn:aws[a-z-]*:ecr:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:repository/[a-z0-9._/*-]+)*$", var.image_repository_arns))
    error_message = "ImageRepositoryArns: empty, or ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>) separated by commas."
  }
}

variable "exclude_tag_key" {
  description = "A function tagged with this key and the value \"false\" is not scanned."
  type        = string
  default     = "QualysScan"
  validation {
    condition     = can(regex("^[A-Za-z0-9 _.:/=+@-]{1,128}$", var.exclude_tag_key))
    error_message = "ExcludeTagKey: a tag key, 1 to 128 characters."
  }
}

variable "honour_opt_out_tags" {
  description = "Whether a function's owner may opt it out with <ExcludeTagKey>=false. true: honoured (in OptOutAccountIds, or every account), and each honoured opt-out is stored and notified as SKIPPED with its reason. false: the tag is ignored and the function is scanned."
  type        = string
  default     = "true"
  validation {
    condition     = contains(["true", "false"], var.honour_opt_out_tags)
    error_message = "HonourOptOutTags: one of true, false."
  }
}

variable "opt_out_account_ids" {
  description = "Comma-separated accounts whose opt-out tags are honoured (HonourOptOutTags=true). Empty = every account. In hub mode, list the spokes whose owners you trust to opt out."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^\\d{12}(,\\d{12})*$", var.opt_out_account_ids))
    error_message = "OptOutAccountIds: empty, or 12-digit account ids separated by commas (no spaces)."
  }
}

variable "exclude_name_pattern" {
  description = "Java regular expression; functions whose name matches are not scanned. Empty = none."
  type        = string
  default     = ""
  validation {
    condition     = length(var.exclude_name_pattern) <= 512
    error_message = "ExcludeNamePattern: at most 512 characters."
  }
}

variable "dedup_ttl_seconds" {
  description = "How long the same code (and layers) of a function is not scanned again."
  type        = number
  default     = 3600
  validation {
    condition     = var.dedup_ttl_seconds >= 60 && var.dedup_ttl_seconds <= 259200
    error_message = "DedupTtlSeconds: from 60 to 259200."
  }
}

variable "results_retention_days" {
  description = "Days result records and raw reports are kept in the results bucket."
  type        = number
  default     = 365
  validation {
    condition     = var.results_retention_days >= 1 && var.results_retention_days <= 3650
    error_message = "ResultsRetentionDays: from 1 to 3650."
  }
}

variable "reports_reader_role_arn" {
  description = "Optional IAM role (in this account) that may read the raw reports under reports/ (software inventories and the secrets qscanner found). The bucket policy refuses reports/ to every other principal but the pipeline's roles."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]+$", var.reports_reader_role_arn))
    error_message = "ReportsReaderRoleArn: empty, or an IAM role ARN."
  }
}

variable "notification_email" {
  description = "Optional email subscribed to the findings topic (confirm the subscription mail)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.notification_email))
    error_message = "NotificationEmail: empty, or an email address."
  }
}

variable "publish_scan_events" {
  description = "Also publish each result as a \"Lambda Scan Completed\" event to this account's default event bus."
  type        = string
  default     = "true"
  validation {
    condition     = contains(["true", "false"], var.publish_scan_events)
    error_message = "PublishScanEvents: one of true, false."
  }
}

variable "tag_scanned_functions" {
  description = "Tag each scanned function of this account and region with qualys-scan:status and qualys-scan:time after its result record is written (best effort; the record in S3 stays the source of truth). Functions of spoke accounts and other regions are not tagged."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.tag_scanned_functions)
    error_message = "TagScannedFunctions: one of true, false."
  }
}

variable "sbom_spdx" {
  description = "Every scan keeps QScanner's CycloneDX SBOM under reports/ (linked from the record's sbom); true also keeps its SPDX SBOM."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.sbom_spdx)
    error_message = "SbomSpdx: one of true, false."
  }
}

variable "alert_on_new_only" {
  description = "0 alerts on every scan. 1 to 5: a scan alerts (SNS attribute alert=true) only when it finds something new since the function's previous scan at or above this Qualys severity, or when it fails; risk:critical, risk:high, risk:medium or risk:low: only when a new finding's risk (QDS, else severity) reaches that band. NotificationEmail then receives only alerts (a filter policy). Every scan is still stored and published."
  type        = string
  default     = "0"
  validation {
    condition     = can(regex("^([0-5]|risk:(critical|high|medium|low))$", var.alert_on_new_only))
    error_message = "AlertOnNewOnly: 0 to 5, or risk:critical, risk:high, risk:medium or risk:low."
  }
}

variable "quarantine_on_deny" {
  description = "Opt-in. When the policy verdict is DENY (ScanMode evaluate-policy), set the function's reserved concurrency to 0 (it stops running; nothing is deleted) and tag it qualys-scan:quarantined / quarantine-reason / previous-concurrency. Functions of this account and region only, never the scanner's own (IAM denies it). The record and the message carry the release command."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.quarantine_on_deny)
    error_message = "QuarantineOnDeny: one of true, false."
  }
}

variable "security_hub_export" {
  description = "Opt-in. Import every vulnerability of a scanned function into Security Hub CSPM (BatchImportFindings, one ASFF finding per function and vulnerability, stable Id), in the function's own account and region (hub mode: through the spoke role; redeploy the spokes with the new SpokeTrustedRoleArns). A rescan updates the findings, a fix or a deleted function archives them. An outage never fails a scan: the record says what was not exported and the next scan retries. Security Hub CSPM must be enabled in those accounts and regions."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.security_hub_export)
    error_message = "SecurityHubExport: one of true, false."
  }
}

variable "chat_min_severity" {
  description = "What reaches Slack/Teams: a scan whose new findings (or, without a comparison, whose findings) reach this Qualys severity 1 to 5, or this risk band (risk:critical, risk:high, risk:medium, risk:low: the findings' risk, QDS else severity), and every failure or timeout."
  type        = string
  default     = "4"
  validation {
    condition     = can(regex("^([1-5]|risk:(critical|high|medium|low))$", var.chat_min_severity))
    error_message = "ChatMinSeverity: 1 to 5, or risk:critical, risk:high, risk:medium or risk:low."
  }
}

variable "slack_workspace_id" {
  description = "Slack workspace (team) id, authorised once in the AWS Chatbot console. Empty = no Slack channel."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[0-9A-Z]{1,255}$", var.slack_workspace_id))
    error_message = "SlackWorkspaceId: must match ^$|^[0-9A-Z]{1,255}$."
  }
}

variable "slack_channel_id" {
  description = "Slack channel id (e.g. C0123456789); with SlackWorkspaceId."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[A-Za-z0-9]{1,255}$", var.slack_channel_id))
    error_message = "SlackChannelId: must match ^$|^[A-Za-z0-9]{1,255}$."
  }
}

variable "teams_tenant_id" {
  description = "Microsoft Teams tenant id (a UUID). Empty = no Teams channel."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", var.teams_tenant_id))
    error_message = "TeamsTenantId: must match ^$|^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$."
  }
}

variable "teams_team_id" {
  description = "Microsoft Teams team id (a UUID), authorised once in the AWS Chatbot console; with TeamsTenantId."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", var.teams_team_id))
    error_message = "TeamsTeamId: must match ^$|^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$."
  }
}

variable "teams_channel_id" {
  description = "Microsoft Teams channel id, URL-encoded as the Chatbot console shows it (19%3a...%40thread.tacv2)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$", var.teams_channel_id))
    error_message = "TeamsChannelId: must match ^$|^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$."
  }
}

variable "suppression_list_key" {
  description = "The suppression list (accepted risks, docs/suppressions.md) in the results bucket; an absent object suppresses nothing."
  type        = string
  default     = "config/suppressions.json"
  validation {
    condition     = can(regex("^config/[A-Za-z0-9._/-]{1,200}\\.json$", var.suppression_list_key))
    error_message = "SuppressionListKey: a key under config/ ending in .json."
  }
}

variable "operations_email" {
  description = "Optional email subscribed to the operations topic (failed or timed-out executions, DLQ messages)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.operations_email))
    error_message = "OperationsEmail: empty, or an email address."
  }
}

variable "architecture" {
  description = "Lambda architecture of all functions and the layer; the qscanner binary must be built for it."
  type        = string
  default     = "x86_64"
  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "Architecture: one of x86_64, arm64."
  }
}

variable "log_level" {
  description = "Application log level of the functions (and of qscanner)."
  type        = string
  default     = "INFO"
  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "LogLevel: one of DEBUG, INFO, WARN, ERROR."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' and the state machine's log groups."
  type        = number
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "LogRetentionDays: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional managed policy ARN set as permissions boundary on every role the stack creates."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "PermissionsBoundaryArn: empty, or an IAM managed policy ARN."
  }
}

variable "deployment_mode" {
  description = "single-account scans this account and region. hub also receives the Lambda change events that spoke accounts (templates/spoke.yaml) forward to a custom event bus, and reads their functions through the spoke role."
  type        = string
  default     = "single-account"
  validation {
    condition     = contains(["single-account", "hub"], var.deployment_mode)
    error_message = "DeploymentMode: one of single-account, hub."
  }
}

variable "organization_id" {
  description = "Hub mode. Every account of this AWS Organization may put events on the hub bus. Empty = none."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "OrganizationId: empty, or an organization id (o-...)."
  }
}

variable "spoke_account_ids" {
  description = "Hub mode. Comma-separated account ids that may put events on the hub bus (without or with OrganizationId)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^\\d{12}(,\\d{12})*$", var.spoke_account_ids))
    error_message = "SpokeAccountIds: empty, or 12-digit account ids separated by commas (no spaces)."
  }
}

variable "hub_event_bus_name" {
  description = "Hub mode. Name of the custom event bus the spokes forward to (the spokes' HubEventBusName)."
  type        = string
  default     = "qualys-lambda-scanner-hub"
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.hub_event_bus_name))
    error_message = "HubEventBusName: letters, digits and ._- (not \"default\")."
  }
}

variable "spoke_role_name" {
  description = "Hub mode. The role name templates/spoke.yaml creates in each spoke account (its ScannerRoleName)."
  type        = string
  default     = "qualys-lambda-scanner-spoke"
  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.spoke_role_name))
    error_message = "SpokeRoleName: an IAM role name (without path)."
  }
}

variable "spoke_external_id" {
  description = "Hub mode. The external id the scanner passes when it assumes a spoke role (the spokes' ExternalId). Not a secret (AWS's guidance), but keep it unguessable and do not reuse it elsewhere."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[A-Za-z0-9+=,.@:/_-]{2,1224}$", var.spoke_external_id))
    error_message = "SpokeExternalId: empty, or 2 to 1224 characters of letters, digits and +=,.@:/_-."
  }
}

variable "rescan_after_days" {
  description = "A completed scan of unchanged code blocks a rescan this long; after that the next event or fleet run scans it again against today's vulnerability data. A forced direct request always scans."
  type        = number
  default     = 7
  validation {
    condition     = var.rescan_after_days >= 1 && var.rescan_after_days <= 365
    error_message = "RescanAfterDays: from 1 to 365."
  }
}

variable "fleet_schedule" {
  description = "EventBridge Scheduler expression that starts the fleet workflow, e.g. rate(7 days) or cron(0 3 ? * SUN *). Empty = no schedule (start it by hand)."
  type        = string
  default     = "rate(7 days)"
  validation {
    condition     = can(regex("^$|^(rate|cron)\\(.{1,200}\\)$", var.fleet_schedule))
    error_message = "FleetSchedule: must match ^$|^(rate|cron)\\(.{1,200}\\)$."
  }
}

variable "fleet_regions" {
  description = "Comma-separated regions the fleet run lists in every account. Empty = this region. Other regions need hub mode (the spoke role, which templates/spoke.yaml also creates in this account)."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^$|^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d(,[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d)*$", var.fleet_regions))
    error_message = "FleetRegions: must match ^$|^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d(,[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d)*$."
  }
}

variable "fleet_max_concurrency" {
  description = "Scan executions a fleet run keeps in flight (Distributed Map MaxConcurrency). Keep it at or under Run QScanner's reserved concurrency (ScanConcurrency): the excess would only wait in throttle retries."
  type        = number
  default     = 10
  validation {
    condition     = var.fleet_max_concurrency >= 1 && var.fleet_max_concurrency <= 10000
    error_message = "FleetMaxConcurrency: from 1 to 10000."
  }
}

variable "fleet_tolerated_failure_percentage" {
  description = "Map items (not scans: a failed scan is an item result, FAILED in coverage) that may fail before the map stops. The coverage is written either way."
  type        = number
  default     = 10
  validation {
    condition     = var.fleet_tolerated_failure_percentage >= 0 && var.fleet_tolerated_failure_percentage <= 100
    error_message = "FleetToleratedFailurePercentage: from 0 to 100."
  }
}

variable "coverage_alarm_threshold" {
  description = "The CoverageAlarm fires when a fleet run's coverage percentage is under this."
  type        = number
  default     = 90
  validation {
    condition     = var.coverage_alarm_threshold >= 0 && var.coverage_alarm_threshold <= 100
    error_message = "CoverageAlarmThreshold: from 0 to 100."
  }
}

variable "fleet_accounts_from_organization" {
  description = "true: each fleet run also enumerates the Organization's ACTIVE accounts (Organizations ListAccounts), in addition to this account and SpokeAccountIds. Only the management account or a delegated administrator may call it; elsewhere the run covers the listed accounts and its coverage says why (docs/fleet.md)."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.fleet_accounts_from_organization)
    error_message = "FleetAccountsFromOrganization: one of true, false."
  }
}

variable "create_trail" {
  description = "true creates a multi-region CloudTrail trail of write management events (with its own bucket). Without some trail recording management events, no Lambda change event ever reaches the pipeline. Cost in README."
  type        = string
  default     = "false"
  validation {
    condition     = contains(["true", "false"], var.create_trail)
    error_message = "CreateTrail: one of true, false."
  }
}

variable "create_dashboard" {
  description = "true: a CloudWatch dashboard of coverage, scans and failures, findings, the riskiest functions, scan duration, throttles and Security Hub export failures (docs/operations.md)."
  type        = string
  default     = "true"
  validation {
    condition     = contains(["true", "false"], var.create_dashboard)
    error_message = "CreateDashboard: one of true, false."
  }
}

variable "athena_database_name" {
  description = "The Glue database the stack creates for Athena (tables results, coverage and sboms, and named queries; docs/athena.md). One per stack and region."
  type        = string
  default     = "qualys_lambda_scanner"
  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.athena_database_name))
    error_message = "AthenaDatabaseName: lower-case letters, digits and underscores."
  }
}
