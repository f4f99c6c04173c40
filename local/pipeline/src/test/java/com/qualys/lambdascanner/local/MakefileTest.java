package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Makefile's deploy targets, as {@code make -n} prints them (there is no sam CLI here): prompt-free from a
 * pipeline, each region of {@code deploy-multi-region} with the samconfig.toml environment named after it, and
 * {@code package} / {@code publish} for Terraform and the Serverless Application Repository.
 */
class MakefileTest {

  @Test
  void deploy_whenRunByHand_expectationSamAsksForTheChangeset() throws Exception {
    assertThat(samDeploys(List.of("deploy"))).containsExactly("sam deploy --config-env default");
  }

  @Test
  void deploy_whenCiOrNoPrompt_expectationNoPromptAndNoFailureOnAnEmptyChangeset() throws Exception {
    for (String setting : List.of("CI=true", "NO_PROMPT=1")) {
      assertThat(samDeploys(List.of("deploy", setting))).as(setting).containsExactly(
          "sam deploy --config-env default --no-confirm-changeset --no-fail-on-empty-changeset");
    }
    assertThat(samDeploys(List.of("deploy", "CI=false"))).containsExactly("sam deploy --config-env default");
  }

  @Test
  void deployMultiRegion_whenRegionsHaveEnvironments_expectationEachRegionWithItsOwnElseTheFallback()
      throws Exception {
    List<String> deploys = samDeploys(List.of("deploy-multi-region", "REGIONS=us-east-1 eu-west-1 ap-southeast-2",
        "CI=true"));

    String flags = " --no-confirm-changeset --no-fail-on-empty-changeset";
    assertThat(deploys).containsExactly(
        "sam deploy --config-env us-east-1 --region us-east-1" + flags,
        "sam deploy --config-env eu-west-1 --region eu-west-1" + flags,
        // No [ap-southeast-2.deploy.parameters] in samconfig.toml: SAM_CONFIG_ENV's settings, in that region.
        "sam deploy --config-env default --region ap-southeast-2" + flags);
    assertThat(samDeploys(List.of("deploy-multi-region", "REGIONS=ap-southeast-2", "SAM_CONFIG_ENV=hub")))
        .containsExactly("sam deploy --config-env hub --region ap-southeast-2");
  }

  @Test
  void package_whenBucketAndRegionGiven_expectationSamPackageToTheBucketAndTheTemplateUrlForTerraform()
      throws Exception {
    List<String> lines = dryRun(List.of("package", "PACKAGE_BUCKET=my-artifacts", "AWS_REGION=eu-west-1"));

    // One prefix per commit, so that a new package is a new template_url (what Terraform sees change).
    String prefix = "qualys-lambda-scanner-pipeline/" + head();
    assertThat(lines).contains("sam build --config-env default")
        .anyMatch(l -> l.startsWith("sam package --region eu-west-1 --s3-bucket my-artifacts --s3-prefix " + prefix
            + " --output-template-file ") && l.endsWith(".aws-sam/packaged.yaml"))
        .anyMatch(l -> l.startsWith("aws s3 cp --region eu-west-1 ")
            && l.endsWith(" s3://my-artifacts/" + prefix + "/template.yaml"))
        .anyMatch(l -> l.contains(
            "template_url = \\\"https://my-artifacts.s3.eu-west-1.amazonaws.com/" + prefix + "/template.yaml"));
  }

  @Test
  void publish_whenRun_expectationSamPublishesThePackagedTemplate() throws Exception {
    List<String> lines = dryRun(List.of("publish", "PACKAGE_BUCKET=my-artifacts", "AWS_REGION=us-east-1"));

    assertThat(lines.stream().filter(l -> l.startsWith("sam ")).map(l -> l.split(" ")[1]).toList())
        .containsExactly("build", "package", "publish");
    assertThat(lines).anyMatch(l -> l.startsWith("sam publish --region us-east-1 --template ")
        && l.endsWith(".aws-sam/packaged.yaml"));
  }

  @Test
  void package_whenNoBucket_expectationRefusedBeforeBuilding() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("make", "--no-print-directory", "-C", Samples.projectRoot().toString(),
        "package", "AWS_REGION=us-east-1").redirectErrorStream(true);
    builder.environment().remove("PACKAGE_BUCKET");
    Process make = builder.start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(make.exitValue()).isNotZero();
    assertThat(output).contains("PACKAGE_BUCKET is not set").doesNotContain("sam build");
  }

  private static String head() throws IOException, InterruptedException {
    Process git = new ProcessBuilder("git", "-C", Samples.projectRoot().toString(), "rev-parse", "--short=12", "HEAD")
        .start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(head).matches("[0-9a-f]{12}");
    return head;
  }

  /** The {@code sam deploy} lines of {@code make -n <args>}, in order, spaces normalised. */
  private static List<String> samDeploys(List<String> args) throws IOException, InterruptedException {
    return dryRun(args).stream().filter(l -> l.startsWith("sam deploy")).toList();
  }

  /** The lines {@code make -n <args>} prints, stripped, spaces normalised. */
  private static List<String> dryRun(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "-n", "-C",
        Samples.projectRoot().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The test's own environment must not decide: a CI server sets CI=true.
    List.of("CI", "NO_PROMPT", "SAM_CONFIG_ENV", "REGIONS", "SAM_DEPLOY_ARGS", "PACKAGE_BUCKET", "PACKAGE_PREFIX",
        "PACKAGE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION").forEach(builder.environment()::remove);
    Process make = builder.start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(make.exitValue()).as(output).isZero();
    return output.replace("\\\n", " ").lines().map(String::strip).map(l -> l.replaceAll("\\s+", " ")).toList();
  }
}
