package com.qualys.lambdascanner.emulator;

/** The little JSON the emulator writes itself: it has no JSON library, being on every function's test class path. */
final class Json {

  private Json() {}

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Lambda's error document: the same three fields the runtime reports for an exception. */
  static String error(String errorType, String errorMessage) {
    return "{\"errorType\":" + quote(errorType) + ",\"errorMessage\":" + quote(errorMessage) + ",\"stackTrace\":[]}";
  }
}
