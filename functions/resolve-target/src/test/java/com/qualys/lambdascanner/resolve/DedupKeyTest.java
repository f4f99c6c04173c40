package com.qualys.lambdascanner.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.model.Layer;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.common.model.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupKeyTest {

  private static Target target(String version, String sha, List<String> layers, String digest) {
    return new Target(
        "aws", "123456789012", "us-east-1", "orders-api", Samples.ORDERS_API, version, PackageType.ZIP, "java21",
        List.of("x86_64"), sha, null, digest, layers.stream().map(l -> new Layer(l, null)).toList(), "Active");
  }

  @Test
  void of_whenLayersInAnotherOrder_givesTheSameKey() {
    String a = "arn:aws:lambda:us-east-1:123456789012:layer:a:1";
    String b = "arn:aws:lambda:us-east-1:123456789012:layer:b:1";

    assertThat(DedupKey.of(target("$LATEST", "x", List.of(a, b), null)))
        .isEqualTo(DedupKey.of(target("$LATEST", "x", List.of(b, a), null)));
  }

  @Test
  void of_whenOnlyVersionDiffers_givesTheSameKey() {
    assertThat(DedupKey.of(target("$LATEST", "x", List.of(), null)))
        .isEqualTo(DedupKey.of(target("7", "x", List.of(), null)));
  }

  @Test
  void of_whenCodeLayerOrDigestDiffers_givesAnotherKey() {
    String base = DedupKey.of(target("$LATEST", "x", List.of(), null));

    assertThat(DedupKey.of(target("$LATEST", "y", List.of(), null))).isNotEqualTo(base);
    assertThat(DedupKey.of(target("$LATEST", "x", List.of(Samples.SHARED_LIBS_3), null))).isNotEqualTo(base);
    assertThat(DedupKey.of(target("$LATEST", "x", List.of(), "repo@sha256:00"))).isNotEqualTo(base);
  }

  @Test
  void claimObjectKey_isSha256HexOfTheKeyUnderClaims() {
    // sha256("abc"), a published test vector.
    assertThat(DedupKey.claimObjectKey("abc"))
        .isEqualTo("claims/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json");
  }
}
