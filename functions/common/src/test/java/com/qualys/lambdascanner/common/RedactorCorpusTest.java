package com.qualys.lambdascanner.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.qualys.lambdascanner.common.secret.Redactor;
import com.qualys.lambdascanner.common.secret.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of secret the pipeline holds, in every encoding a scanner, an HTTP client or a log library writes it in
 * (at least 30 each): none of them survives the redactor given the secret's value.
 */
class RedactorCorpusTest {

  /** The secret kinds, with values shaped like the real ones (characters that encodings change included). */
  static final List<String[]> SECRETS =
      List.of(
          new String[] {"qualys access token", "eyJhbGciOi.qualys+Tok3n/with=Special~chars_0123456789"},
          new String[] {"qualys client secret", "cl1ent-Secret/Value+0123456789abcdef=="},
          new String[] {"aws secret access key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"},
          new String[] {"aws session token",
              "IQoJb3JpZ2luX2VjEFoaCXVzLWVhc3QtMSJHMEUCIQDk+7/sessionTokenMaterial/abc+def=0123456789"},
          new String[] {"ecr password",
              "eyJwYXlsb2FkIjoiQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoiLCJkYXRha2V5IjoiZGF0YWtleSJ9/+ecr"});

  /** How a secret is written out, each with a name; every one is applied to every secret kind. */
  static final List<Encoding> ENCODINGS = encodings();

  record Encoding(String name, UnaryOperator<String> encode) {}

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64url(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String lowerHex(String percentEncoded) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < percentEncoded.length(); i++) {
      char c = percentEncoded.charAt(i);
      out.append(c);
      if (c == '%' && i + 2 < percentEncoded.length()) {
        out.append(percentEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        i += 2;
      }
    }
    return out.toString();
  }

  private static String hex(String s, String format) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      out.append(String.format(Locale.ROOT, format, b & 0xff));
    }
    return out.toString();
  }

  private static String entities(String s, String format) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(String.format(Locale.ROOT, format, (int) c));
    }
    return out.toString();
  }

  /** RFC 4648 base32 with padding. */
  private static String base32(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int bits = 0;
    int count = 0;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      bits = (bits << 8) | (b & 0xff);
      count += 8;
      while (count >= 5) {
        count -= 5;
        out.append(alphabet.charAt((bits >> count) & 31));
      }
    }
    if (count > 0) {
      out.append(alphabet.charAt((bits << (5 - count)) & 31));
    }
    while (out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  private static String split(String s, int every, String separator) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i += every) {
      if (i > 0) {
        out.append(separator);
      }
      out.append(s, i, Math.min(s.length(), i + every));
    }
    return out.toString();
  }

  private static String unicode(String s, boolean upper) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(Character.isLetterOrDigit(c) ? String.valueOf(c)
          : String.format(Locale.ROOT, upper ? "\\u%04X" : "\\u%04x", (int) c));
    }
    return out.toString();
  }

  private static List<Encoding> encodings() {
    List<Encoding> e = new ArrayList<>();
    e.add(new Encoding("plain", s -> "value " + s + " end"));
    e.add(new Encoding("json string", s -> "{\"token\": \"" + s + "\"}"));
    e.add(new Encoding("json escaped slash", s -> "{\"v\":\"" + s.replace("/", "\\/") + "\"}"));
    e.add(new Encoding("json unicode upper", s -> "{\"v\":\"" + unicode(s, true) + "\"}"));
    e.add(new Encoding("json unicode lower", s -> "{\"v\":\"" + unicode(s, false) + "\"}"));
    e.add(new Encoding("url form", s -> "a=1&t=" + url(s) + "&b=2"));
    e.add(new Encoding("url lower hex", s -> "t=" + lowerHex(url(s))));
    e.add(new Encoding("url double", s -> "next=" + url("t=" + url(s))));
    e.add(new Encoding("url rfc3986", s -> "/path/" + url(s).replace("+", "%20") + "/x"));
    for (String prefix : List.of("", "a", "ab", "abc", "user:", "AWS:")) {
      e.add(new Encoding("base64 after '" + prefix + "'", s -> "blob " + b64(prefix + s + "tail") + " end"));
      e.add(new Encoding("base64url after '" + prefix + "'", s -> "blob " + b64url(prefix + s) + " end"));
    }
    e.add(new Encoding("base64 of json", s -> "payload=" + b64("{\"password\":\"" + s + "\"}")));
    e.add(new Encoding("base64 wrapped", s -> split(b64("x" + s), 20, "\n")));
    e.add(new Encoding("authorization basic user", s -> "Authorization: Basic " + b64("user:" + s)));
    e.add(new Encoding("authorization basic AWS", s -> "authorization: basic " + b64("AWS:" + s)));
    e.add(new Encoding("ecr authorization token", s -> "{\"authorizationToken\": \"" + b64("AWS:" + s) + "\"}"));
    e.add(new Encoding("docker auth", s -> "{\"auths\":{\"1.dkr.ecr\":{\"auth\":\"" + b64("AWS:" + s) + "\"}}}"));
    e.add(new Encoding("x-amz-security-token header", s -> "X-Amz-Security-Token: " + s + "\r\nHost: x"));
    e.add(new Encoding("x-amz-security-token query", s -> "?X-Amz-Security-Token=" + url(s) + "&X-Amz-Date=1"));
    e.add(new Encoding("bearer", s -> "Authorization: Bearer " + s));
    e.add(new Encoding("env assignment", s -> "AWS_SECRET_ACCESS_KEY=" + s));
    e.add(new Encoding("split lf 8", s -> split(s, 8, "\n")));
    e.add(new Encoding("split crlf 16", s -> split(s, 16, "\r\n")));
    e.add(new Encoding("split indented", s -> "token:\n  " + split(s, 12, "\n  ")));
    e.add(new Encoding("split json escaped lf", s -> "\"msg\":\"" + split(s, 10, "\\n") + "\""));
    e.add(new Encoding("split json escaped crlf", s -> "\"msg\":\"" + split(s, 7, "\\r\\n") + "\""));
    e.add(new Encoding("split and slash escaped", s -> split(s.replace("/", "\\/"), 9, "\n")));
    e.add(new Encoding("python repr", s -> "{'token': '" + s + "'}"));
    e.add(new Encoding("twice in a line", s -> s + " and again " + s));
    // Issue 22: the forms beyond those listed one by one above, found by decoding.
    e.add(new Encoding("hex lower", s -> "data: " + hex(s, "%02x") + " end"));
    e.add(new Encoding("hex upper", s -> "0x" + hex(s, "%02X")));
    e.add(new Encoding("hex escaped", s -> "b'" + hex(s, "\\x%02x") + "'"));
    e.add(new Encoding("hex escaped upper", s -> "\"" + hex(s, "\\x%02X") + "\""));
    e.add(new Encoding("html decimal", s -> "<p>" + entities(s, "&#%d;") + "</p>"));
    e.add(new Encoding("html hex", s -> "<p>" + entities(s, "&#x%X;") + "</p>"));
    e.add(new Encoding("xml named", s -> "<v>" + s.replace("&", "&amp;").replace("/", "&sol;").replace("+", "&plus;")
        .replace("=", "&equals;") + "</v>"));
    e.add(new Encoding("base32", s -> "otp " + base32("k=" + s) + " end"));
    e.add(new Encoding("base32 lower", s -> base32(s).toLowerCase(Locale.ROOT)));
    e.add(new Encoding("base64 wrapped 76 crlf", s -> split(b64("----" + s + s), 76, "\r\n")));
    e.add(new Encoding("base64 wrapped 64 json", s -> "\"pem\":\"" + split(b64("ab" + s), 64, "\\n") + "\""));
    e.add(new Encoding("base64 wrapped 20 json indented", s -> "\"v\": \"" + split(b64(s), 20, "\\n    ") + "\""));
    e.add(new Encoding("percent triple", s -> "u=" + url(url(url(s)))));
    e.add(new Encoding("json escaped base64", s -> "{\"v\":\"" + b64("x" + s).replace("/", "\\/") + "\"}"));
    e.add(new Encoding("json escaped html", s -> "{\"v\":\"" + entities(s, "&#%d;").replace("&", "\\u0026") + "\"}"));
    e.add(new Encoding("json escaped hex", s -> "{\"v\":\"" + hex(s, "\\\\x%02x") + "\"}"));
    e.add(new Encoding("base64 of percent", s -> b64("q=" + url(s))));
    e.add(new Encoding("percent of base64", s -> "auth=" + url(b64("AWS:" + s))));
    return List.copyOf(e);
  }

  static Stream<Arguments> corpus() {
    return SECRETS.stream()
        .flatMap(secret -> ENCODINGS.stream().map(enc -> Arguments.of(secret[0], enc.name(), secret[1], enc)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("corpus")
  void redact_whenSecretEncoded_expectationNoPieceOfItSurvives(String kind, String encoding, String secret,
      Encoding enc) {
    Redactor sut = Redactor.of(List.of(new Secret(kind, secret)));
    String text = enc.encode().apply(secret);

    String out = sut.redact(text);

    assertThat(out).as(kind + " / " + encoding + ": " + text).contains(Redactor.MASK_PREFIX);
    // A leak: any 12 characters of the output that the secret's encoding has and the same encoding of another value
    // of the same length has not (so the text around the secret does not count). One character at either end may
    // differ: a base64 character next to the secret mixes 2 or 4 of its bits with the text around it.
    String encoded = flatten(text);
    String other = flatten(enc.encode().apply("Z".repeat(secret.length())));
    assertThat(windows(flatten(out), 12))
        .as(kind + " / " + encoding + ": " + out)
        .noneMatch(w -> encoded.contains(w)
            && !other.contains(w.substring(1)) && !other.contains(w.substring(0, w.length() - 1)));
  }

  /** The encodings are at least 30 per secret kind (the floor). */
  @Test
  void corpus_always_holdsAtLeast30EncodingsPerKind() {
    assertThat(ENCODINGS).hasSizeGreaterThanOrEqualTo(30);
    assertThat(SECRETS).hasSize(5);
  }

  private static String flatten(String s) {
    return s.replace("\\r", "").replace("\\n", "").replace("\r", "").replace("\n", "").replace(" ", "");
  }

  private static List<String> windows(String s, int size) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + size <= s.length(); i++) {
      out.add(s.substring(i, i + size));
    }
    return out;
  }
}
