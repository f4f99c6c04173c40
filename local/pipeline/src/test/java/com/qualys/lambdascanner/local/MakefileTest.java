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
 * pipeline, and each region of {@code deploy-multi-region} with the samconfig.toml environment named after it.
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

  /** The {@code sam deploy} lines of {@code make -n <args>}, in order, spaces normalised. */
  private static List<String> samDeploys(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "-n", "-C",
        Samples.projectRoot().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The test's own environment must not decide: a CI server sets CI=true.
    List.of("CI", "NO_PROMPT", "SAM_CONFIG_ENV", "REGIONS", "SAM_DEPLOY_ARGS").forEach(builder.environment()::remove);
    Process make = builder.start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(make.exitValue()).as(output).isZero();
    return output.lines().map(String::strip).filter(l -> l.startsWith("sam deploy"))
        .map(l -> l.replaceAll("\\s+", " ")).toList();
  }
}
