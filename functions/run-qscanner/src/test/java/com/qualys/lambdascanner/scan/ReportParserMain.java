package com.qualys.lambdascanner.scan;

import java.nio.file.Path;

/**
 * Parses one report and prints its summary: run in a JVM of its own with a capped heap, to prove the parser's
 * memory does not grow with the report.
 */
public final class ReportParserMain {

  private ReportParserMain() {}

  public static void main(String[] args) {
    ReportParser.ReportSummary summary = ReportParser.parseReport(Path.of(args[0]));
    System.out.println(
        "findings=" + summary.findings() + " total=" + summary.counts().total() + " problem=" + summary.problem());
    System.exit(summary.problem() == null ? 0 : 1);
  }
}
