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

  /** Uploads every output file in {@code dir} (the masked copies) and returns their keys, in file-name order. */
  List<String> upload(String bucket, String prefix, Path dir) {
    List<String> keys = new ArrayList<>();
    for (Path file : files(dir)) {
      String key = prefix + file.getFileName();
      putObject(bucket, key, file, contentType(file.getFileName().toString()));
      keys.add(key);
    }
    return keys;
  }

  /** Uploads the findings index Run QScanner wrote (never qscanner's output) and returns its key. */
  String uploadIndex(String bucket, String prefix, Path index) {
    String key = prefix + index.getFileName();
    putObject(bucket, key, index, "application/json");
    return key;
  }

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
