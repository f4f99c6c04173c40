package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

/**
 * The Runtime Interface Client's JNI library, unpacked once for every runtime JVM of this emulator.
 *
 * <p>Left to itself, the RIC copies the library to the fixed path {@code /tmp/.libaws-lambda-jni.so} at every start,
 * replacing what is there, and loads it. In Lambda every sandbox has its own /tmp, so that is safe; here the runtimes
 * share one /tmp, and a JVM that maps the file while another rewrites it dies with SIGBUS in the dynamic loader
 * (seen when ten executions started at once). The RIC loads the file named by its system property
 * {@value #PROPERTY} instead, so each runtime is handed this one, written once and never changed.
 */
final class RuntimeNativeLibrary {

  static final String PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private static Path unpacked;

  private RuntimeNativeLibrary() {}

  /** The {@code -D} option that points the RIC at the unpacked library. */
  static synchronized String option(List<String> runtimeClassPath) {
    if (unpacked == null) {
      unpacked = unpack(runtimeClassPath);
    }
    return "-D" + PROPERTY + "=" + unpacked;
  }

  private static Path unpack(List<String> runtimeClassPath) {
    String entry = "jni/libaws-lambda-jni.linux-" + architecture() + ".so";
    String jar = runtimeClassPath.stream()
        .filter(path -> Path.of(path).getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the Runtime Interface Client is not on the runtime class path"));
    try (ZipFile zip = new ZipFile(jar)) {
      var found = zip.getEntry(entry);
      if (found == null) {
        throw new IllegalStateException(jar + " has no " + entry);
      }
      Path file = Files.createTempFile("aws-lambda-jni-", ".so");
      file.toFile().deleteOnExit();
      try (InputStream in = zip.getInputStream(found)) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
  }
}
