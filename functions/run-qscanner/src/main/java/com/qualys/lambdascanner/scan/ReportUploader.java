package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.inject.Inject;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts qscanner's raw output files in the results bucket under
 * {@code reports/<account>/<region>/<function>/<scanId>/<file>}, streamed from disk, encrypted at rest. Only the
 * keys travel on through the state machine.
 */
final class ReportUploader {

  /** qscanner writes a handful of files; anything beyond this is not a report worth keeping. */
  static final int MAX_FILES = 20;

  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final S3Client s3;

  @Inject
  ReportUploader(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * Uploads every regular file in {@code dir}; a file holding one of our secret values is uploaded as a masked
   * copy (made in {@code scratch}), never as it is.
   */
  Uploaded upload(String bucket, String prefix, Path dir, Path scratch, SecretScrubber scrubber) {
    List<String> keys = new ArrayList<>();
    int masked = 0;
    for (Path file : files(dir)) {
      String name = file.getFileName().toString();
      try {
        Path body = file;
        if (scrubber.occursIn(file)) {
          body = scratch.resolve(name);
          masked += scrubber.copyRedacted(file, body);
        }
        String key = prefix + name;
        putObject(bucket, key, body, contentType(name));
        keys.add(key);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read qscanner output " + name, e);
      }
    }
    return new Uploaded(keys, masked);
  }

  /** Uploads the findings index Run QScanner wrote (never qscanner's output) and returns its key. */
  String uploadIndex(String bucket, String prefix, Path index) {
    String key = prefix + index.getFileName();
    putObject(bucket, key, index, "application/json");
    return key;
  }

  /**
   * What was uploaded.
   *
   * @param keys the S3 keys, in file-name order
   * @param maskedSecrets how many secret values were masked in the uploaded copies
   */
  record Uploaded(List<String> keys, int maskedSecrets) {}

  private void putObject(String bucket, String key, Path body, String contentType) {
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(key).contentType(contentType),
          RequestBody.fromFile(body));
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException()) {
        throw new RetryableException("S3 is unavailable uploading a report (" + code + ")", e);
      }
      throw new TerminalException("cannot upload a report to bucket " + bucket + ": " + code);
    } catch (SdkClientException e) {
      throw new RetryableException("cannot reach S3 to upload a report", e);
    }
  }

  static List<Path> files(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
          .sorted()
          .limit(MAX_FILES)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list qscanner's output folder", e);
    }
  }

  static String contentType(String name) {
    if (name.endsWith(".json")) {
      return "application/json";
    }
    if (name.endsWith(".xz")) {
      return "application/x-xz";
    }
    return "application/octet-stream";
  }
}
