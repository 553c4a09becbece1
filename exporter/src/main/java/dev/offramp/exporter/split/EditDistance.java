package dev.offramp.exporter.split;

import java.util.Comparator;
import java.util.List;

/** Levenshtein distance, for "did you mean" suggestions. */
final class EditDistance {
  private EditDistance() {}

  /** Up to {@code limit} of {@code options} nearest to {@code word}, nearest first. */
  static List<String> nearest(String word, List<String> options, int limit) {
    return options.stream()
        .sorted(Comparator.comparingInt((String o) -> distance(word, o)).thenComparing(o -> o))
        .limit(limit)
        .toList();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
