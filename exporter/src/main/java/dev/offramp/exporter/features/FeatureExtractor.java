package dev.offramp.exporter.features;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.DatasetException;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.graph.Ort;
import dev.offramp.exporter.graph.ShapeProbe;
import dev.offramp.exporter.progress.ProgressBar;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the backbone over image sets with the cut tensors as extra outputs and keeps, per split, the
 * cut maps pooled at every requested grid and the backbone's final probabilities ({@link
 * FeatureCache}). A cut may be requested at several grids: the backbone still runs once per split.
 * Owns one ONNX Runtime session; not thread-safe; close it.
 */
public final class FeatureExtractor implements AutoCloseable {
  private static final Logger LOG = System.getLogger(FeatureExtractor.class.getName());
  private final OrtSession session;
  private final String inputName;
  private final String logitsName;
  private final List<CutSpec> pooling;
  private final InputSpec spec;
  private final int batch;
  private final int classes;

  /**
   * Opens the backbone for extraction.
   *
   * @param backbone the backbone model
   * @param inputName its image input
   * @param logitsName its output (logits) that the softmax is applied to
   * @param pooling every (cut, grid) pair to keep; duplicates are kept once
   * @param spec input tensor format (preprocessing)
   * @param dynamicBatch whether the input's batch axis is symbolic (else batch 1)
   * @param classes expected size of the logits
   */
  public FeatureExtractor(
      ModelProto backbone,
      String inputName,
      String logitsName,
      Collection<CutSpec> pooling,
      InputSpec spec,
      boolean dynamicBatch,
      int classes) {
    this.pooling = List.copyOf(new LinkedHashSet<>(pooling));
    Set<String> outs = new LinkedHashSet<>();
    this.pooling.forEach(c -> outs.add(c.tensor()));
    ModelProto withCuts = ShapeProbe.withOutputs(backbone, List.copyOf(outs));
    this.session = Ort.session(withCuts.toByteArray(), "the backbone (feature extraction)");
    this.inputName = inputName;
    this.logitsName = logitsName;
    this.spec = spec;
    this.batch = dynamicBatch ? 64 : 1;
    this.classes = classes;
  }

  /** Runs over {@code images} with a progress bar labelled {@code label}. */
  public FeatureCache extract(ImageSet images, String label) {
    int n = images.size();
    long perSample = classes;
    for (CutSpec c : pooling) {
      perSample += c.pooledSize();
    }
    LOG.log(
        Level.INFO,
        String.format(
            Locale.ROOT,
            "feature cache %s: %d samples x %d floats = %.1f MB",
            label,
            n,
            perSample,
            4.0 * n * perSample / 1e6));
    Preprocessor pre = new Preprocessor(spec);
    int per = spec.elementCount();
    Map<CutSpec, float[]> pooled = new LinkedHashMap<>();
    for (CutSpec c : pooling) {
      pooled.put(c, new float[n * c.pooledSize()]);
    }
    float[][] probs = new float[n][];
    byte[] px = new byte[images.imageBytes()];
    ProgressBar bar = new ProgressBar("backbone " + label, n);
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
        Map<String, float[]> got = new HashMap<>();
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
          FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] a = new float[fb.remaining()];
          fb.get(a);
          got.put(e.getKey(), a);
        }
        float[] logits = got.get(logitsName);
        if (logits.length != b * classes) {
          throw new DatasetException(
              "the backbone's output '"
                  + logitsName
                  + "' has "
                  + logits.length / b
                  + " values per image, but the dataset has "
                  + classes
                  + " classes; expected the same number (use the dataset the backbone was"
                  + " trained on)");
        }
        for (int j = 0; j < b; j++) {
          probs[from + j] = softmax(logits, j * classes, classes);
        }
        for (CutSpec c : pooling) {
          pool(c, got.get(c.tensor()), b, pooled.get(c), from);
        }
      } catch (OrtException e) {
        throw new DatasetException(
            "the backbone rejects input of shape "
                + java.util.Arrays.toString(shape)
                + " ("
                + e.getMessage()
                + "); expected the backbone's declared input size: check --size and --color",
            e);
      }
      bar.update(from + b, "");
    }
    bar.finish(n + " images");
    return new FeatureCache(pooled, probs, images.labels());
  }

  private static void pool(CutSpec c, float[] map, int b, float[] dst, int from) {
    int size = c.channels() * c.height() * c.width();
    if (map.length != b * size) {
      throw new IllegalStateException(
          "cut "
              + c.tensor()
              + ": expected "
              + size
              + " values per image, found "
              + map.length / b);
    }
    for (int j = 0; j < b; j++) {
      AdaptivePool.pool(
          map,
          j * size,
          c.channels(),
          c.height(),
          c.width(),
          c.grid(),
          dst,
          (from + j) * c.pooledSize());
    }
  }

  /** Softmax of {@code len} values at {@code off}, computed in double. */
  public static float[] softmax(float[] logits, int off, int len) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < len; c++) {
      max = Math.max(max, logits[off + c]);
    }
    double sum = 0;
    double[] e = new double[len];
    for (int c = 0; c < len; c++) {
      e[c] = Math.exp(logits[off + c] - max);
      sum += e[c];
    }
    float[] p = new float[len];
    for (int c = 0; c < len; c++) {
      p[c] = (float) (e[c] / sum);
    }
    return p;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the backbone session: " + e.getMessage(), e);
    }
  }
}
