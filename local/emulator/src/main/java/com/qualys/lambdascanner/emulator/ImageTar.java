package com.qualys.lambdascanner.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An image layer as a registry serves it (an uncompressed POSIX ustar archive), for the harness's pushes. */
public final class ImageTar {

  private ImageTar() {}

  /** A layer holding these files (path to content), each a regular file of mode 0644. */
  public static byte[] layer(Map<String, String> files) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    files.forEach((path, content) -> {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      byte[] header = new byte[512];
      put(header, 0, path, 100);
      put(header, 100, "0000644", 8);
      put(header, 108, "0000000", 8);
      put(header, 116, "0000000", 8);
      put(header, 124, String.format("%011o", data.length), 12);
      put(header, 136, "00000000000", 12);
      java.util.Arrays.fill(header, 148, 156, (byte) ' ');
      header[156] = '0';
      put(header, 257, "ustar", 6);
      put(header, 263, "00", 2);
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, String.format("%06o", sum), 7);
      tar.writeBytes(header);
      tar.writeBytes(data);
      tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    });
    tar.writeBytes(new byte[1024]);
    return tar.toByteArray();
  }

  /** The image config of these layers (linux/{@code architecture}), as {@code docker build} writes one. */
  public static byte[] config(String architecture, byte[]... layers) {
    StringBuilder diffIds = new StringBuilder();
    for (byte[] layer : layers) {
      diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(EcrRegistry.digest(layer)).append('"');
    }
    return ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"app.handler\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
  }

  private static void put(byte[] header, int offset, String value, int length) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
  }
}
