package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * moto-patches/sitecustomize.py, unpacked where moto_server's Python finds it through PYTHONPATH. It fixes two places
 * where moto 5.2.1's Step Functions interpreter differs from AWS (the Lambda service error names a Retry matches, and
 * a second StartExecution of the same state machine); the file says why, in detail.
 */
final class MotoPatches {

  /** sitecustomize.py, and the modules it loads (service_principals.py: AWS services acting as themselves). */
  private static final java.util.List<String> FILES = java.util.List.of("sitecustomize.py", "service_principals.py");

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
