package dev.offramp.benchmarks.grid;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.FeatureExtractor;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.Ort;
import dev.offramp.exporter.graph.ShapeProbe;
import dev.offramp.exporter.report.ProgressBar;
import dev.offramp.exporter.train.AdaptivePool;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grid's shared feature cache for one split: the backbone runs <em>once</em> over the images
 * with every cut any placement uses as an extra output, and each cut map is pooled at every head
 * grid size the grid needs; any (placement, grid) pair then gets its {@link SplitFeatures} without
 * running the backbone again, for every margin and both schemes. The exporter's {@code
 * FeatureExtractor} does the same for one cut list at one grid per call (it would run the backbone
 * once per placement and grid size); its softmax and pooling are reused here, so the numbers are
 * the same. Immutable after construction.
 */
public final class FeatureBank {
  private final Map<String, int[]> chw;
  private final Map<String, float[]> pooled;
  private final float[][] probs;
  private final int[] labels;

  private FeatureBank(
      Map<String, int[]> chw, Map<String, float[]> pooled, float[][] probs, int[] labels) {
    this.chw = chw;
    this.pooled = pooled;
    this.probs = probs;
    this.labels = labels;
  }

  /**
   * Runs the backbone over {@code images}.
   *
   * @param graph the backbone
   * @param cuts every cut tensor needed, with its C, H, W
   * @param grids every head grid size needed
   * @param spec preprocessing
   * @param dynamicBatch whether the input's batch axis is symbolic (else batch 1)
   * @param classes output size
   */
  public static FeatureBank extract(
      OnnxGraph graph,
      Map<String, int[]> cuts,
      Set<Integer> grids,
      InputSpec spec,
      boolean dynamicBatch,
      int classes,
      ImageSet images,
      String label) {
    String inputName = graph.inputNames().get(0);
    String logitsName = graph.outputNames().get(0);
    int n = images.size();
    Map<String, float[]> pooled = new HashMap<>();
    for (Map.Entry<String, int[]> c : cuts.entrySet()) {
      int ch = c.getValue()[0];
      for (int g : grids) {
        pooled.put(key(c.getKey(), g), new float[n * ch * g * g]);
      }
    }
    float[][] probs = new float[n][];
    Preprocessor pre = new Preprocessor(spec);
    int per = spec.elementCount();
    int batch = dynamicBatch ? 64 : 1;
    byte[] px = new byte[images.imageBytes()];
    ProgressBar bar = new ProgressBar("backbone " + label, n);
    try (OrtSession session =
        Ort.session(
            ShapeProbe.withOutputs(graph.model(), List.copyOf(cuts.keySet())).toByteArray(),
            "the backbone (grid feature cache)")) {
      for (int from = 0; from < n; from += batch) {
        int b = Math.min(batch, n - from);
        float[] in = new float[b * per];
        for (int j = 0; j < b; j++) {
          images.image(from + j, px);
          pre.fill(px, in, j * per);
        }
        long[] shape = spec.shape().clone();
        shape[0] = b;
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(in), shape);
            OrtSession.Result r = session.run(Map.of(inputName, t))) {
          float[] logits = floats(r.get(logitsName).orElseThrow());
          if (logits.length != b * classes) {
            throw new IllegalArgumentException(
                "the backbone's output '"
                    + logitsName
                    + "' has "
                    + logits.length / b
                    + " values per image, expected "
                    + classes
                    + " (the dataset's classes)");
          }
          for (int j = 0; j < b; j++) {
            probs[from + j] = FeatureExtractor.softmax(logits, j * classes, classes);
          }
          for (Map.Entry<String, int[]> c : cuts.entrySet()) {
            float[] map = floats(r.get(c.getKey()).orElseThrow());
            int[] d = c.getValue();
            int size = d[0] * d[1] * d[2];
            for (int g : grids) {
              float[] dst = pooled.get(key(c.getKey(), g));
              int ps = d[0] * g * g;
              for (int j = 0; j < b; j++) {
                AdaptivePool.pool(map, j * size, d[0], d[1], d[2], g, dst, (from + j) * ps);
              }
            }
          }
        }
        bar.update(from + b, "");
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "the backbone failed while caching grid features: " + e.getMessage(), e);
    }
    bar.finish(n + " images");
    return new FeatureBank(Map.copyOf(cuts), pooled, probs, images.labels().clone());
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private static String key(String cut, int grid) {
    return grid + "@" + cut;
  }

  /** The features of {@code cuts} pooled at {@code grid} (arrays shared, not copied). */
  public SplitFeatures features(List<String> cuts, int grid) {
    List<CutSpec> specs =
        cuts.stream()
            .map(
                c -> {
                  int[] d = chw.get(c);
                  if (d == null || !pooled.containsKey(key(c, grid))) {
                    throw new IllegalArgumentException(
                        "feature bank: cut " + c + " at grid " + grid + " was not cached");
                  }
                  return new CutSpec(c, d[0], d[1], d[2], grid);
                })
            .toList();
    return new SplitFeatures(
        specs, cuts.stream().map(c -> pooled.get(key(c, grid))).toList(), probs, labels);
  }

  /** Samples held. */
  public int size() {
    return labels.length;
  }
}
