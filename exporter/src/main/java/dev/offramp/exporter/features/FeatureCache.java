package dev.offramp.exporter.features;

import java.util.List;
import java.util.Map;

/**
 * Cached features of one split: per (cut, grid) the pooled maps, plus the backbone's probabilities
 * and the labels. {@link #features} picks the cuts a cascade uses at the grids its heads use, so
 * one backbone pass serves every placement and head grid of a grid search. Immutable after {@link
 * FeatureExtractor#extract}; the arrays are shared with the {@link SplitFeatures} it hands out
 * (never written after extraction).
 */
public final class FeatureCache {
  private final Map<CutSpec, float[]> pooled;
  private final float[][] probs;
  private final int[] labels;

  FeatureCache(Map<CutSpec, float[]> pooled, float[][] probs, int[] labels) {
    this.pooled = Map.copyOf(pooled);
    this.probs = probs;
    this.labels = labels.clone();
  }

  /**
   * The features of a cascade whose heads read {@code cuts} (each at its grid), in that order.
   *
   * @throws IllegalArgumentException when a (cut, grid) pair was not extracted
   */
  public SplitFeatures features(List<CutSpec> cuts) {
    for (CutSpec c : cuts) {
      if (!pooled.containsKey(c)) {
        throw new IllegalArgumentException(
            "feature cache: expected cut "
                + c.tensor()
                + " at grid "
                + c.grid()
                + " to be extracted, found only "
                + pooled.keySet().stream().map(k -> k.tensor() + "@" + k.grid()).sorted().toList()
                + "; list every (cut, grid) pair when creating the FeatureExtractor");
      }
    }
    return new SplitFeatures(cuts, cuts.stream().map(pooled::get).toList(), probs, labels);
  }

  /** Samples held. */
  public int size() {
    return labels.length;
  }

  /** Bytes held by every pooled map and the probabilities. */
  public long bytes() {
    long b = 4L * size() * (probs.length == 0 ? 0 : probs[0].length);
    for (float[] p : pooled.values()) {
      b += 4L * p.length;
    }
    return b;
  }
}
