package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.testing.EnforcedAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make check-scanner} against the stand-in, and against a stand-in build that refuses one flag; the child reads
 * the target as the pipeline's child does: a ScanRole session narrowed to it, through the enforcing endpoint.
 */
class ScannerCheckIT {

  @RegisterExtension static final EnforcedAws AWS = EnforcedAws.stack().build();

  private static RunQScannerClients asRunQScanner;

  @TempDir Path dir;

  @BeforeAll
  static void clients() {
    asRunQScanner = RunQScannerClients.of(AWS);
  }


  private List<ScannerCheck.Row> check(String extraJson) throws Exception {
    Path binary =
        TestSupport.installStandIn(Files.createDirectories(dir.resolve("bin")), Map.of(), null, extraJson);
    ScanRoleCredentials scanRole = asRunQScanner.scanRole(AWS);
    return ScannerCheck.check(binary, Files.createDirectories(dir.resolve("work")), AWS.moto(),
        new ScannerCheck.ChildAws(AWS.endpointUri(),
            target -> scanRole.forTarget("check-scanner", target, null, Duration.ofMinutes(15))));
  }

  @Test
  void check_whenTheStandIn_everyLinePasses() throws Exception {
    List<ScannerCheck.Row> rows = check("");

    assertThat(rows).allSatisfy(row -> assertThat(row.pass()).as(row.toString()).isTrue());
    assertThat(rows).extracting(ScannerCheck.Row::check)
        .contains("--version", "flag --scan-timeout", "flag --max-network-retries", "flag --skip-java-db-update",
            "flag --offline-scan", "lambda <qualified ARN>", "<id>-ScanResult.json", "<id>-ScanResult.cyclonedx.json");
    assertThat(rows).filteredOn(r -> r.check().equals("lambda <qualified ARN>")).singleElement()
        .extracting(ScannerCheck.Row::reason).asString().containsPattern(":function:check-scanner-fn-[0-9a-f]{8}:1 ");
    assertThat(ScannerCheck.table(rows)).endsWith("qscanner works with this pipeline");
  }

  @Test
  void check_whenTheBinaryRefusesOneFlag_thatLineFailsWithItsReasonTheOthersPass() throws Exception {
    List<ScannerCheck.Row> rows = check(", \"refuseFlags\": [\"--network-retry-wait-max\"]");

    assertThat(rows).filteredOn(r -> !r.pass()).singleElement().satisfies(row -> {
      assertThat(row.check()).isEqualTo("flag --network-retry-wait-max");
      assertThat(row.reason()).contains("refused (exit 2)");
    });
    assertThat(ScannerCheck.table(rows)).contains("FAIL  flag --network-retry-wait-max").endsWith("1 check(s) failed");
  }
}
