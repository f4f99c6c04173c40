package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode (installed by {@code .ci/run}; {@code -Dchromium=<path>} to use another):
 * the DOM it builds from a page, and a screenshot. Its own profile directory per call, no sandbox (CI runs as root).
 */
final class HeadlessChromium {

  private HeadlessChromium() {}

  /** The page's DOM after Chromium parsed and laid it out, serialised. */
  static String dumpDom(Path page, Path workDir) throws IOException, InterruptedException {
    return run(page, workDir, "--dump-dom");
  }

  static void screenshot(Path page, Path png, Path workDir, int width, int height)
      throws IOException, InterruptedException {
    run(page, workDir, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars");
    assertThat(png).as("screenshot").isNotEmptyFile();
  }

  private static String run(Path page, Path workDir, String... what) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-");
    List<String> command = new ArrayList<>(List.of(System.getProperty("chromium", "chromium"), "--headless",
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
        "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(List.of(what));
    command.add(page.toAbsolutePath().toUri().toString());
    Path out = workDir.resolve("chromium-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished (apt-get install chromium)").isTrue();
    assertThat(process.exitValue()).as("chromium exit status").isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
