package dev.offramp.runtime.mqtt;

/** Untrusted text made safe for one log line: control characters escaped, length capped. */
public final class LogText {
  private LogText() {}

  /**
   * Escapes {@code \n}, {@code \r}, tabs, other control characters and backslashes, and cuts the
   * result to about {@code max} characters, saying how much was cut.
   */
  public static String escape(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
    int i = 0;
    for (; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (i < s.length()) {
      b.append("…(").append(s.length() - i).append(" more chars)");
    }
    return b.toString();
  }
}
