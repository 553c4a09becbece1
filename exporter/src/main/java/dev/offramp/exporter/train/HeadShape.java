package dev.offramp.exporter.train;

import dev.offramp.exporter.features.AdaptivePool;

/**
 * The sizes of one exit head and its cost.
 *
 * @param channels C of the cut's map
 * @param height H of the cut's map
 * @param width W of the cut's map
 * @param grid G: the map is pooled to G×G positions
 * @param hidden h: Conv1d filters
 * @param layers number of Conv1d + ReLU layers (≥ 1)
 * @param classes output classes
 */
public record HeadShape(
    int channels, int height, int width, int grid, int hidden, int layers, int classes) {
  /** Validates every size. */
  public HeadShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "head: expected a C×H×W cut map, found " + channels + "x" + height + "x" + width);
    }
    if (grid <= 0 || hidden <= 0 || layers <= 0 || classes < 2) {
      throw new IllegalArgumentException(
          "head: expected grid, width, layers ≥ 1 and ≥ 2 classes, found grid="
              + grid
              + " width="
              + hidden
              + " layers="
              + layers
              + " classes="
              + classes);
    }
  }

  /** Positions in the pooled sequence (G²). */
  public int positions() {
    return grid * grid;
  }

  /** Floats per sample in the head's input (C·G²). */
  public int inputSize() {
    return channels * positions();
  }

  /**
   * Multiply-accumulates of one head evaluation: pooling counted as C·H·W adds when the windows are
   * even (AveragePool), and as the dense MatMul the exported graph runs when they are not
   * (C·H·W·G², {@link AdaptivePool#matrix}); each Conv1d positions·3·in·out, the global pool
   * h·positions, the linear layer h·classes. Softmax is not counted (as the backbone's MAC count
   * does not count activations).
   */
  public long macs() {
    long map = (long) channels * height * width;
    long pool = AdaptivePool.isUniform(height, width, grid) ? map : map * positions();
    long conv = (long) positions() * 3 * channels * hidden;
    conv += (long) (layers - 1) * positions() * 3 * hidden * hidden;
    long gap = (long) hidden * positions();
    long linear = (long) hidden * classes;
    return pool + conv + gap + linear;
  }
}
