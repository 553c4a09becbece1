package dev.offramp.exporter.verify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.Ort;
import dev.offramp.exporter.graph.ShapeProbe;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Proves that a chain of stages computes what its backbone computes: runs the backbone (with every
 * compared tensor added as an output) and the chained stages (each fed the previous stage's output,
 * never the backbone's) on seeded random normal inputs, and compares tensors by name.
 *
 * <p>Stateless; each call opens its sessions and closes them before returning.
 */
public final class StageChainVerifier {
  private StageChainVerifier() {}

  /**
   * Runs the comparison.
   *
   * @param samples how many random inputs (each of the resolved input shape)
   * @param seed seed of the inputs
   * @param inputShape the single input's shape; empty for the declared one (batch 1)
   * @throws VerificationException when a stage cannot be loaded, fed, or does not output what it
   *     should
   */
  public static VerificationReport verify(
      OnnxGraph backbone,
      List<StageSpec> stages,
      int samples,
      long seed,
      Optional<List<Long>> inputShape) {
    return verify(backbone, stages, samples, seed, inputShape, List.of());
  }

  /**
   * Runs the comparison on {@code samples} random inputs and then on every real input given
   * (preprocessed NCHW tensors of the single input's shape, e.g. dataset images).
   *
   * @param realInputs preprocessed real inputs, each of the resolved input shape
   */
  public static VerificationReport verify(
      OnnxGraph backbone,
      List<StageSpec> stages,
      int samples,
      long seed,
      Optional<List<Long>> inputShape,
      List<float[]> realInputs) {
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
    }
    Map<String, List<Long>> shapes = InputShapes.resolve(backbone, inputShape);
    Set<String> compared = new LinkedHashSet<>();
    stages.forEach(s -> compared.addAll(s.compared()));
    for (String t : compared) {
      if (!backbone.hasTensor(t)) {
        throw new VerificationException(
            "tensor '"
                + t
                + "' of the stages does not exist in "
                + backbone.source()
                + "; were the stages cut from another backbone?");
      }
    }
    Map<String, double[]> worst = new LinkedHashMap<>();
    List<OrtSession> sessions = new ArrayList<>();
    try {
      OrtSession whole =
          Ort.session(
              ShapeProbe.withOutputs(backbone.model(), compared).toByteArray(),
              "backbone " + backbone.source());
      sessions.add(whole);
      for (StageSpec s : stages) {
        sessions.add(Ort.session(read(s), "stage " + s.file()));
      }
      SplittableRandom random = new SplittableRandom(seed);
      if (!realInputs.isEmpty() && shapes.size() != 1) {
        throw new VerificationException(
            "real inputs need a single-input backbone; "
                + backbone.source()
                + " has inputs "
                + shapes.keySet());
      }
      for (int n = 0; n < samples + realInputs.size(); n++) {
        Map<String, Values> inputs = new LinkedHashMap<>();
        if (n < samples) {
          shapes.forEach((name, dims) -> inputs.put(name, Values.gaussian(dims, random)));
        } else {
          var entry = shapes.entrySet().iterator().next();
          inputs.put(entry.getKey(), Values.of(entry.getValue(), realInputs.get(n - samples)));
        }
        Map<String, Values> expected = run(whole, inputs, compared, backbone.source());
        Map<String, Values> available = new HashMap<>(inputs);
        for (int k = 0; k < stages.size(); k++) {
          StageSpec s = stages.get(k);
          Values in = available.get(s.input());
          if (in == null) {
            throw new VerificationException(
                "stage "
                    + k
                    + " ("
                    + s.file()
                    + ") reads '"
                    + s.input()
                    + "', which neither the backbone input nor stage "
                    + (k - 1)
                    + " provides.");
          }
          Map<String, Values> out =
              run(
                  sessions.get(k + 1),
                  Map.of(s.input(), in),
                  Set.copyOf(s.compared()),
                  s.file().toString());
          available.putAll(out);
          for (String t : s.compared()) {
            double[] e = compare(k, t, out.get(t), expected.get(t));
            worst.merge(
                k + "\u0000" + t,
                e,
                (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
          }
        }
      }
    } finally {
      for (OrtSession s : sessions) {
        try {
          s.close();
        } catch (OrtException e) {
          // Closing frees native memory; a failure here cannot change the comparison.
          System.getLogger(StageChainVerifier.class.getName())
              .log(System.Logger.Level.DEBUG, "closing a session failed", e);
        }
      }
    }
    List<TensorError> errors = new ArrayList<>();
    worst.forEach(
        (key, e) -> {
          int sep = key.indexOf('\u0000');
          errors.add(
              new TensorError(
                  Integer.parseInt(key.substring(0, sep)), key.substring(sep + 1), e[0], e[1]));
        });
    return new VerificationReport(samples + realInputs.size(), errors);
  }

  private static byte[] read(StageSpec s) {
    try {
      return Files.readAllBytes(s.file());
    } catch (IOException e) {
      throw new VerificationException("cannot read stage " + s.file() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Values> run(
      OrtSession session, Map<String, Values> inputs, Set<String> outputs, String what) {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Values> e : inputs.entrySet()) {
        feed.put(e.getKey(), e.getValue().tensor());
      }
      Map<String, Values> result = new HashMap<>();
      try (OrtSession.Result r = session.run(feed, outputs)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          if (!(e.getValue() instanceof OnnxTensor t) || t.getFloatBuffer() == null) {
            throw new VerificationException(
                what
                    + ": output '"
                    + e.getKey()
                    + "' is not a float32 tensor; only float32"
                    + " stage outputs can be compared.");
          }
          FloatBuffer fb = t.getFloatBuffer();
          float[] data = new float[fb.remaining()];
          fb.get(data);
          result.put(e.getKey(), new Values(t.getInfo().getShape(), data));
        }
      }
      return result;
    } catch (OrtException e) {
      throw new VerificationException(
          "ONNX Runtime failed to run " + what + " (outputs " + outputs + "): " + e.getMessage(),
          e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** {max abs error, relative error} of {@code actual} against {@code expected}. */
  private static double[] compare(int stage, String tensor, Values actual, Values expected) {
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      throw new VerificationException(
          "stage "
              + stage
              + " outputs '"
              + tensor
              + "' with shape "
              + Arrays.toString(actual.shape())
              + ", but the backbone's has shape "
              + Arrays.toString(expected.shape()));
    }
    double maxAbs = 0;
    double scale = 0;
    for (int i = 0; i < actual.data().length; i++) {
      double a = actual.data()[i];
      double b = expected.data()[i];
      double d = Math.abs(a - b);
      if (Double.isNaN(d)) {
        d = Double.isNaN(a) && Double.isNaN(b) ? 0 : Double.POSITIVE_INFINITY;
      }
      maxAbs = Math.max(maxAbs, d);
      if (!Double.isNaN(b)) {
        scale = Math.max(scale, Math.abs(b));
      }
    }
    return new double[] {maxAbs, maxAbs / Math.max(scale, 1e-6)};
  }

  /** A float tensor copied to the heap. */
  private record Values(long[] shape, float[] data) {
    static Values of(List<Long> dims, float[] data) {
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new VerificationException(
            "a real input has " + data.length + " values, expected " + n + " for shape " + dims);
      }
      return new Values(shape, data);
    }

    static Values gaussian(List<Long> dims, SplittableRandom random) {
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      long count = 1;
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      float[] data = new float[Math.toIntExact(count)];
      for (int i = 0; i < data.length; i++) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        data[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
      }
      return new Values(shape, data);
    }

    OnnxTensor tensor() throws OrtException {
      return OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(data), shape);
    }
  }
}
