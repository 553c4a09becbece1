package dev.offramp.exporter.train;

import java.util.List;

/**
 * The trained parameters of one head, row-major, as exported to ONNX.
 *
 * @param shape the head's sizes
 * @param convWeights per Conv1d layer, (out, in, 3)
 * @param convBiases per Conv1d layer, (out)
 * @param linearWeight (classes, hidden)
 * @param linearBias (classes)
 */
public record HeadWeights(
    HeadShape shape,
    List<float[]> convWeights,
    List<float[]> convBiases,
    float[] linearWeight,
    float[] linearBias) {
  /** Checks every array's size against the shape. */
  public HeadWeights {
    convWeights = List.copyOf(convWeights);
    convBiases = List.copyOf(convBiases);
    if (convWeights.size() != shape.layers() || convBiases.size() != shape.layers()) {
      throw new IllegalArgumentException(
          "head weights: expected " + shape.layers() + " conv layers, found " + convWeights.size());
    }
    for (int l = 0; l < shape.layers(); l++) {
      int in = l == 0 ? shape.channels() : shape.hidden();
      check("conv" + l + ".weight", convWeights.get(l), shape.hidden() * in * 3);
      check("conv" + l + ".bias", convBiases.get(l), shape.hidden());
    }
    check("linear.weight", linearWeight, shape.classes() * shape.hidden());
    check("linear.bias", linearBias, shape.classes());
  }

  private static void check(String name, float[] a, int expected) {
    if (a.length != expected) {
      throw new IllegalArgumentException(
          "head weights: " + name + " expected " + expected + " values, found " + a.length);
    }
  }
}
