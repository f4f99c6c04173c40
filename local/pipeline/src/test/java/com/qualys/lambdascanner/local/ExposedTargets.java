package com.qualys.lambdascanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;

/**
 * A function as exposed as it gets, created in an account of the emulator before its event is sent: a Function URL
 * with {@code AuthType NONE}, a resource policy letting {@code *} invoke it, an execution role with AWS managed
 * AdministratorAccess and an inline policy that hides {@code iam:*} behind a harmless Sid, and a runtime AWS has
 * deprecated (python3.9, 2025-12-15).
 */
final class ExposedTargets {

  static final String ADMIN_ROLE = "local-exposed-admin-role";
  static final String DEPRECATED_RUNTIME = "python3.9";

  private ExposedTargets() {}

  /**
   * Creates the function the event names (in its account and region, with the version it names) exposed, and its
   * role, before {@link LocalPipeline#ensureTarget} would create a plain one.
   */
  static void create(LocalPipeline pipeline, JsonNode event) {
    TargetSpec spec = TargetSpec.from(event, pipeline.account(), pipeline.region());
    String account = spec.account();
    String functionName = spec.name();
    IamClient iam = IamClient.builder().endpointOverride(pipeline.endpoint()).region(Region.AWS_GLOBAL)
        .credentialsProvider(pipeline.credentialsFor(account)).build();
    String roleArn;
    try {
      roleArn = iam.getRole(b -> b.roleName(ADMIN_ROLE)).role().arn();
    } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException absent) {
      roleArn = iam.createRole(b -> b.roleName(ADMIN_ROLE).assumeRolePolicyDocument("""
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},\
          "Action":"sts:AssumeRole"}]}""")).role().arn();
      iam.attachRolePolicy(b -> b.roleName(ADMIN_ROLE).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
      iam.putRolePolicy(b -> b.roleName(ADMIN_ROLE).policyName("read-only-logs").policyDocument("""
          {"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyLogs","Effect":"Allow",\
          "Action":["logs:GetLogEvents","IAM:*"],"Resource":"*"}]}"""));
    }
    LambdaClient lambda = pipeline.lambdaIn(account, spec.region());
    String role = roleArn;
    lambda.createFunction(b -> b.functionName(functionName).role(role).runtime(DEPRECATED_RUNTIME)
        .handler("index.handler").timeout(30).memorySize(512)
        .code(c -> c.zipFile(SdkBytes.fromByteArray(
            TargetFunctions.tinyZip("index.py", "def handler(event, context):\n    return event\n")))));
    lambda.createFunctionUrlConfig(b -> b.functionName(functionName).authType(FunctionUrlAuthType.NONE));
    lambda.addPermission(b -> b.functionName(functionName).statementId("FunctionUrlPublicAccess")
        .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
    lambda.addPermission(b -> b.functionName(functionName).statementId("internal-only")
        .action("lambda:InvokeFunction").principal("*"));
    // moto numbers versions 1, 2, ... and publishes only after a change (as TargetFunctions does).
    for (int v = 1; spec.version() != null && v <= spec.version(); v++) {
      String description = "exposed version " + v;
      lambda.updateFunctionConfiguration(b -> b.functionName(functionName).description(description));
      lambda.publishVersion(b -> b.functionName(functionName));
    }
  }
}
