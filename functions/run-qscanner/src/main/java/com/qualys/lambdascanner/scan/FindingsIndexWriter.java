package com.qualys.lambdascanner.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.qualys.lambdascanner.common.model.Finding;
import com.qualys.lambdascanner.common.model.FindingsIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Writes the {@link FindingsIndex} of a scan into the work folder, ready to upload. */
final class FindingsIndexWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FindingsIndexWriter() {}

  /**
   * @param findings the findings read, at most one more than {@link FindingsIndex#MAX_FINDINGS} (which says
   *     the report had more)
   */
  static Path write(Path dir, List<Finding> findings) {
    boolean truncated = findings.size() > FindingsIndex.MAX_FINDINGS;
    List<Finding> kept = truncated ? findings.subList(0, FindingsIndex.MAX_FINDINGS) : findings;
    Path file = dir.resolve(FindingsIndex.FILE_NAME);
    try {
      MAPPER.writeValue(file.toFile(), new FindingsIndex(FindingsIndex.SCHEMA_VERSION, truncated, kept));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the findings index", e);
    }
    return file;
  }
}
