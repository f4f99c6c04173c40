package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.qualys.lambdascanner.common.model.QualysLocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads what locates the scan in the Qualys platform from the ScanResult file:
 * {@code Metadata.TargetMetadata.ImageMetadata.RepoTags[]} and {@code ImageID} (else the digest of the first
 * {@code RepoDigests} entry), as the seed's Python implementation does to tag functions. Streamed, like the
 * rest of the file's reading. The values go into tags, subjects and Athena columns, so anything that is not a
 * plain tag-safe string or a sha256 digest is dropped, never passed on.
 */
final class ImageMetadataReader {

  static final int MAX_REPO_TAGS = 5;

  /** Characters Lambda tag values allow, and a length that fits one. */
  private static final Pattern REPO_TAG = Pattern.compile("[A-Za-z0-9 +\\-=._:/@]{1,200}");

  private static final Pattern IMAGE_ID = Pattern.compile("(sha256:)?[a-f0-9]{64}");

  private static final JsonFactory FACTORY = new JsonFactory();

  private ImageMetadataReader() {}

  /** The locator, or null when the file has no usable ImageMetadata (or cannot be read: the scan goes on). */
  static QualysLocator read(Path scanResult) {
    List<String> tags = new ArrayList<>();
    String imageId = null;
    String digest = null;
    try (JsonParser p = FACTORY.createParser(scanResult.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        if (token != JsonToken.VALUE_STRING) {
          continue;
        }
        String where = path(p);
        if ("Metadata.TargetMetadata.ImageMetadata.RepoTags[]".equals(where)) {
          String tag = p.getText();
          if (tags.size() < MAX_REPO_TAGS && REPO_TAG.matcher(tag).matches()) {
            tags.add(tag);
          }
        } else if ("Metadata.TargetMetadata.ImageMetadata.ImageID".equals(where) && imageId == null) {
          imageId = digest(p.getText());
        } else if ("Metadata.TargetMetadata.ImageMetadata.RepoDigests[]".equals(where) && digest == null) {
          String text = p.getText();
          int at = text.indexOf('@');
          digest = at < 0 ? null : digest(text.substring(at + 1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable or cut off: whatever was read before is still good; the report parser says what is wrong.
    }
    String id = imageId != null ? imageId : digest;
    return tags.isEmpty() && id == null ? null : new QualysLocator(tags, id);
  }

  private static String digest(String text) {
    if (text == null || !IMAGE_ID.matcher(text).matches()) {
      return null;
    }
    return text.startsWith("sha256:") ? text : "sha256:" + text;
  }

  /** The dotted path of the current value from the root, {@code []} for an array element. */
  private static String path(JsonParser p) {
    List<String> parts = new ArrayList<>();
    var context = p.getParsingContext();
    while (context != null && !context.inRoot()) {
      parts.addFirst(context.inArray() ? "[]" : context.getCurrentName());
      context = context.getParent();
    }
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (part == null) {
        return "";
      }
      if (!part.equals("[]") && !out.isEmpty()) {
        out.append('.');
      }
      out.append(part);
    }
    return out.toString();
  }
}
