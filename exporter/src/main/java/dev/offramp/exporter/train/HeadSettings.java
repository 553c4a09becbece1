package dev.offramp.exporter.train;

import java.util.Arrays;

/**
 * The exit heads' sizes: {@code --head-grid}, {@code --head-width}, {@code --head-layers}. The grid
 * array is copied in and out.
 *
 * @param grid G per cut (the last value repeats for further cuts)
 * @param width h, Conv1d filters
 * @param layers Conv1d layers
 */
public record HeadSettings(int[] grid, int width, int layers) {
  /** Validates and copies. */
  public HeadSettings {
    if (grid.length == 0) {
      throw new IllegalArgumentException("--head-grid: expected at least one value, e.g. 4");
    }
    grid = grid.clone();
    for (int g : grid) {
      if (g < 1) {
        throw new IllegalArgumentException("--head-grid: expected values ≥ 1, found " + g);
      }
    }
    if (width < 1 || layers < 1) {
      throw new IllegalArgumentException("--head-width and --head-layers must be ≥ 1");
    }
  }

  @Override
  public int[] grid() {
    return grid.clone();
  }

  /** G of the head at cut {@code k}. */
  public int gridAt(int k) {
    return grid[Math.min(k, grid.length - 1)];
  }

  /** The shape of a head on a C×H×W cut map at grid {@code g} for {@code classes} classes. */
  public HeadShape shape(int channels, int height, int width, int g, int classes) {
    return new HeadShape(channels, height, width, g, this.width, layers, classes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadSettings h
        && Arrays.equals(h.grid, grid)
        && h.width == width
        && h.layers == layers;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(grid) + width) + layers;
  }

  @Override
  public String toString() {
    return "HeadSettings[grid="
        + Arrays.toString(grid)
        + ", width="
        + width
        + ", layers="
        + layers
        + "]";
  }
}
