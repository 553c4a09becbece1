package dev.offramp.runtime.text;

/**
 * Untrusted text (an MQTT payload, an HTTP body, a topic) made safe to echo in an answer or write
 * on one log line: {@code \n}, {@code \r}, tabs and backslashes are escaped as in Java source,
 * other control characters and line separators as {@code \\uXXXX} (a raw {@code \n} would forge a
 * log line), and anything past a length limit is cut, saying how much was cut. Stateless.
 */
public final class SafeText {
  /** The limit used where none is given, in characters of input. */
  public static final int DEFAULT_MAX = 80;

  private SafeText() {}

  /** {@code text} escaped and cut to {@link #DEFAULT_MAX} characters. */
  public static String of(String text) {
    return of(text, DEFAULT_MAX);
  }

  /** {@code text} escaped and cut to about {@code max} characters of output. */
  public static String of(String text, int max) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 24);
    int i = 0;
    for (; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20
              || c == 0x7f
              || (c >= 0x80 && c < 0xa0)
              || c == 0x2028
              || c == 0x2029
              || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (i < text.length()) {
      b.append("… (").append(text.length() - i).append(" more characters)");
    }
    return b.toString();
  }
}
