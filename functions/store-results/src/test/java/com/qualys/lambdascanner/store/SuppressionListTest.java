package com.qualys.lambdascanner.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Finding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionListTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Finding LOG4J =
      new Finding(
          "376657", List.of("CVE-2021-44228"), 5, "Log4Shell", "log4j-core", "2.14.1", "2.17.1", null, null);

  private static SuppressionList parse(String json) {
    return SuppressionList.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String entry(String id, String functions, String expires) {
    return "{\"suppressions\": [{\"id\": \"" + id + "\", \"functions\": \"" + functions
        + "\", \"reason\": \"accepted\", \"owner\": \"appsec\", \"expires\": \"" + expires + "\"}]}";
  }

  @Test
  void suppresses_whenQidAndPatternMatchAndNotExpired_expectationTrue() {
    SuppressionList list = parse(entry("376657", "orders-*", "2026-12-31"));

    assertThat(list.errors()).isEmpty();
    assertThat(list.suppresses(LOG4J, "orders-api", NOW)).isTrue();
    assertThat(list.suppresses(LOG4J, "billing-api", NOW)).isFalse();
  }

  @Test
  void suppresses_whenCveMatches_expectationTrue() {
    assertThat(parse(entry("CVE-2021-44228", "*", "2026-12-31")).suppresses(LOG4J, "any", NOW)).isTrue();
  }

  @Test
  void suppresses_whenExpired_expectationFalseFromTheExpiryOn() {
    SuppressionList list = parse(entry("376657", "*", "2026-12-01"));

    assertThat(list.suppresses(LOG4J, "fn", NOW)).isFalse();
    assertThat(list.suppresses(LOG4J, "fn", Instant.parse("2026-11-30T23:59:59Z"))).isTrue();
  }

  @Test
  void parse_whenPatternLooksLikeARegex_expectationRefusedNotCompiled() {
    SuppressionList list = parse(entry("376657", "(a+)+$", "2026-12-31"));

    assertThat(list.entries()).isEmpty();
    assertThat(list.errors()).singleElement().asString().startsWith("suppressions[0]: functions must be");
  }

  @Test
  void parse_whenGlobHasDots_expectationDotIsLiteral() {
    // '.' is not allowed in function names nor in patterns: the glob is quoted, never a regex.
    assertThat(parse(entry("376657", "orders?api", "2026-12-31")).suppresses(LOG4J, "orders-api", NOW)).isTrue();
  }

  @Test
  void parse_whenEntriesAreBad_expectationEachRefusedWithItsReasonTheOthersApply() {
    SuppressionList list = parse("""
        {"suppressions": [
          {"id": "376657", "functions": "*", "reason": "ok", "owner": "me", "expires": "2026-12-31"},
          {"id": "376657", "functions": "*", "reason": "", "owner": "me", "expires": "2026-12-31"},
          {"id": "376657", "functions": "*", "reason": "r", "expires": "2026-12-31"},
          {"id": "376657", "functions": "*", "reason": "r", "owner": "me", "expires": "next year"},
          {"id": 376657, "functions": "*", "reason": "r", "owner": "me", "expires": "2026-12-31"},
          "not an object"
        ]}""");

    assertThat(list.entries()).hasSize(1);
    assertThat(list.errors()).containsExactly(
        "suppressions[1]: reason is required (at most 500 characters)",
        "suppressions[2]: owner is required (at most 500 characters)",
        "suppressions[3]: expires is required: an ISO-8601 date or instant (2026-12-31 or 2026-12-31T00:00:00Z)",
        "suppressions[4]: id must be a QID (digits) or a CVE id (CVE-yyyy-nnnn)",
        "suppressions[5]: id must be a QID (digits) or a CVE id (CVE-yyyy-nnnn)");
  }

  @Test
  void parse_whenNotJsonOrWrongShape_expectationOneErrorNothingSuppressed() {
    assertThat(parse("{oops").errors()).containsExactly("the list is not JSON; nothing suppressed");
    assertThat(parse("[]").errors()).containsExactly("the list has no \"suppressions\" array; nothing suppressed");
    assertThat(parse("{oops").suppresses(LOG4J, "fn", NOW)).isFalse();
  }

  @Test
  void parse_whenHuge_expectationRefused() {
    byte[] big = new byte[SuppressionList.MAX_BYTES + 1];

    assertThat(SuppressionList.parse(big).errors()).singleElement().asString().contains("over");
  }
}
