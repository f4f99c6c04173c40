package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The dedup key: what runs, not which event said so. Partition, account, region, function name, code hash,
 * the layer version ARNs (sorted) and the image digest. The version is left out on purpose: publishing a
 * version of code already scanned changes nothing that runs. Fields are joined with {@code |}, which no
 * validated name, ARN, base64 hash or digest contains, so two different targets never give the same key.
 */
public final class DedupKey {

  static final String VERSION = "v1";
  private static final String NONE = "-";

  private DedupKey() {}

  public static String of(Target target) {
    List<String> layers = target.layers().stream().map(Layer::arn).sorted().toList();
    return String.join(
        "|",
        VERSION,
        target.partition(),
        target.accountId(),
        target.region(),
        target.functionName(),
        orNone(target.codeSha256()),
        layers.isEmpty() ? NONE : String.join(",", layers),
        orNone(target.imageDigest()));
  }

  /** The claim's object key in the results bucket: {@code claims/<sha256 hex of the dedup key>.json}. */
  public static String claimObjectKey(String dedupKey) {
    return "claims/" + sha256Hex(dedupKey) + ".json";
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }
}
