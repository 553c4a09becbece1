package dev.offramp.cascade.testing;

import java.util.Random;

/**
 * Small text mutations for fixed-seed fuzz loops: byte flips, deletions, duplications, and
 * insertions of JSON punctuation, huge numbers and deep brackets. Deterministic for a given {@link
 * Random}.
 */
public final class TextMutations {
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "-1",
    "1e999",
    "NaN",
    "\\u0000",
    "9223372036854775808",
    "[".repeat(64),
    "\"" + "x".repeat(5000) + "\"",
    "true",
    "\n"
  };

  private TextMutations() {}

  public static String mutate(String text, Random random) {
    StringBuilder s = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !s.isEmpty(); e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(5)) {
        case 0 -> s.setCharAt(at, (char) random.nextInt(128));
        case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(40)));
        case 2 -> s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
        case 3 -> {
          int end = Math.min(s.length(), at + 1 + random.nextInt(80));
          s.insert(at, s.substring(at, end));
        }
        default -> s.setLength(at);
      }
    }
    return s.toString();
  }
}
