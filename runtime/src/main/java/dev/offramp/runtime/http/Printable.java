package dev.offramp.runtime.http;

/**
 * Makes text that came from a request safe to echo in an answer or write to a log: control
 * characters (a {@code \n} would forge a log line) and line separators become {@code \\uXXXX}, and
 * anything past a length limit is cut, saying how much was cut. Stateless.
 */
public final class Printable {
  /** The default length limit, in characters. */
  public static final int DEFAULT_MAX = 80;

  private Printable() {}

  /** {@code text} escaped and cut to {@link #DEFAULT_MAX} characters. */
  public static String of(String text) {
    return of(text, DEFAULT_MAX);
  }

  /** {@code text} escaped and cut to {@code max} characters (before escaping). */
  public static String of(String text, int max) {
    int keep = Math.min(text.length(), max);
    StringBuilder out = new StringBuilder(keep + 16);
    for (int i = 0; i < keep; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > max) {
      out.append("… (").append(text.length() - max).append(" more characters)");
    }
    return out.toString();
  }
}
