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

  private static Path extracted;

  private MotoPatches() {}

  static synchronized Path extract() throws IOException {
    if (extracted != null && Files.isRegularFile(extracted.resolve("sitecustomize.py"))) {
      return extracted;
    }
    Path folder = Files.createTempDirectory("moto-patches-");
    try (InputStream in = MotoPatches.class.getResourceAsStream("moto-patches/sitecustomize.py")) {
      if (in == null) {
        throw new IOException("moto-patches/sitecustomize.py is missing from the emulator jar");
      }
      Files.copy(in, folder.resolve("sitecustomize.py"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    folder.toFile().deleteOnExit();
    folder.resolve("sitecustomize.py").toFile().deleteOnExit();
    extracted = folder;
    return folder;
  }
}
