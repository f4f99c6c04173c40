package com.qualys.lambdascanner.common.model;

import java.util.List;

/**
 * What locates a scan in the Qualys platform, as QScanner reports it in its ScanResult file
 * ({@code Metadata.TargetMetadata.ImageMetadata}): the repo tags it gave the scanned artifact (e.g.
 * {@code lambdascan:1764590000}) and the image id ({@code sha256:...}). Both are validated before they get here:
 * they end up in tags, subjects and Athena columns.
 *
 * @param repoTags {@code RepoTags}, at most a few, each a tag-safe string
 * @param imageId {@code ImageID} (or the digest of the first {@code RepoDigests} entry), {@code sha256:<64 hex>}
 */
public record QualysLocator(List<String> repoTags, String imageId) {

  public QualysLocator {
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
  }

  /** The first repo tag, or null. */
  public String repoTag() {
    return repoTags.isEmpty() ? null : repoTags.getFirst();
  }
}
