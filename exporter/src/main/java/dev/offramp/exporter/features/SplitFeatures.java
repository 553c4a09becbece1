package dev.offramp.exporter.features;

import java.util.List;

/**
 * Cached features of one split.
 *
 * @param cuts the cuts, in order
 * @param pooled per cut, n × C·G² pooled maps
 * @param backboneProbs per sample, the backbone's softmax
 * @param labels ground truth per sample
 */
public record SplitFeatures(
    List<CutSpec> cuts, List<float[]> pooled, float[][] backboneProbs, int[] labels) {
  /** Checks the sizes agree. */
  public SplitFeatures {
    cuts = List.copyOf(cuts);
    pooled = List.copyOf(pooled);
    int n = labels.length;
    if (backboneProbs.length != n || pooled.size() != cuts.size()) {
      throw new IllegalArgumentException(
          "features: expected " + n + " backbone rows and one array per cut");
    }
    for (int k = 0; k < cuts.size(); k++) {
      if (pooled.get(k).length != (long) n * cuts.get(k).pooledSize()) {
        throw new IllegalArgumentException(
            "features of cut " + cuts.get(k).tensor() + ": wrong length " + pooled.get(k).length);
      }
    }
  }

  /** Number of samples. */
  public int size() {
    return labels.length;
  }

  /** Bytes held. */
  public long bytes() {
    long b = 4L * size() * (backboneProbs.length == 0 ? 0 : backboneProbs[0].length);
    for (float[] p : pooled) {
      b += 4L * p.length;
    }
    return b;
  }
}
