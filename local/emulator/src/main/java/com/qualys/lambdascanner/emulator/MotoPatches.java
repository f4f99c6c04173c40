package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * moto-patches/sitecustomize.py (and the modules it imports), unpacked where moto_server's Python finds it through
 * PYTHONPATH. It fixes the places where moto 5.2.1 differs from AWS that the pipeline depends on; the file says which
 * and why, in detail.
 */
final class MotoPatches {

  /**
   * sitecustomize.py, and the modules it loads: service_principals.py (AWS services acting as themselves) and
   * moto_role_checks.py (Step Functions' own checks of a state machine's role) and moto_events.py (EventBridge
   * targets that name a role).
   */
  private static final java.util.List<String> FILES = java.util.List.of("sitecustomize.py", "service_principals.py",
      "moto_role_checks.py", "moto_events.py");

  private static Path extracted;

  private MotoPatches() {}

  static synchronized Path extract() throws IOException {
    if (extracted != null && Files.isRegularFile(extracted.resolve("sitecustomize.py"))) {
      return extracted;
    }
    Path folder = Files.createTempDirectory("moto-patches-");
    folder.toFile().deleteOnExit();
    for (String file : FILES) {
      try (InputStream in = MotoPatches.class.getResourceAsStream("moto-patches/" + file)) {
        if (in == null) {
          throw new IOException("moto-patches/" + file + " is missing from the emulator jar");
        }
        Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      folder.resolve(file).toFile().deleteOnExit();
    }
    extracted = folder;
    return folder;
  }
}
