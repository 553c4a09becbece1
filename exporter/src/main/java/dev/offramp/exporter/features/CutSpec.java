package dev.offramp.exporter.features;

/**
 * A cut and how its map is pooled for the head.
 *
 * @param tensor cut tensor name in the backbone
 * @param channels C
 * @param height H
 * @param width W
 * @param grid G
 */
public record CutSpec(String tensor, int channels, int height, int width, int grid) {
  /** Validates the sizes. */
  public CutSpec {
    if (channels <= 0 || height <= 0 || width <= 0 || grid <= 0) {
      throw new IllegalArgumentException(
          "cut "
              + tensor
              + ": expected a C×H×W map and G ≥ 1, found "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " G="
              + grid);
    }
  }

  /** Floats per sample kept for this cut (C·G²). */
  public int pooledSize() {
    return channels * grid * grid;
  }
}
