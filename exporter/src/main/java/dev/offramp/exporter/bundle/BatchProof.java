package dev.offramp.exporter.bundle;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.exporter.graph.Ort;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proves in ONNX Runtime that a chain of stage graphs gives, for a batch of N frames in one call,
 * what N single-frame calls give: at every stage, every output (probabilities and forwarded
 * features), row by row, within {@link #TOLERANCE}. Stateless.
 */
public final class BatchProof {
  /** Largest allowed |batched − single| of any output value. */
  public static final double TOLERANCE = 1e-5;

  private BatchProof() {}

  /**
   * Runs the chain on {@code frames} (stage 0 inputs of shape {@code frameShape}, first dimension
   * 1) one by one, then each stage on all of them at once, and compares.
   *
   * @param stages the stage graphs, in order
   * @param feeds each stage's input tensor name
   * @param outputs each stage's outputs to compare; the first of stage k (k &lt; last) is the one
   *     forwarded as stage k+1's input
   * @return the largest |batched − single| seen
   * @throws IllegalStateException naming the stage and output when a batched run differs or fails
   */
  public static double check(
      List<ModelProto> stages,
      List<String> feeds,
      List<List<String>> outputs,
      List<float[]> frames,
      long[] frameShape) {
    int n = frames.size();
    List<OrtSession> sessions = new ArrayList<>();
    double worst = 0;
    try {
      for (int s = 0; s < stages.size(); s++) {
        sessions.add(Ort.session(stages.get(s).toByteArray(), "stage " + s));
      }
      List<float[]> in = frames;
      long[] shape = frameShape.clone();
      for (int s = 0; s < stages.size(); s++) {
        List<String> outs = outputs.get(s);
        // Single runs: one row per frame and output.
        List<List<float[]>> single = new ArrayList<>();
        long[] forwardShape = null;
        for (float[] x : in) {
          List<float[]> row = new ArrayList<>();
          try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
              OrtSession.Result r = sessions.get(s).run(Map.of(feeds.get(s), t))) {
            for (String o : outs) {
              row.add(floats(r.get(o).orElseThrow()));
            }
            forwardShape = ((OnnxTensor) r.get(outs.get(0)).orElseThrow()).getInfo().getShape();
          }
          single.add(row);
        }
        // One batched run.
        float[] rows = new float[n * in.get(0).length];
        for (int i = 0; i < n; i++) {
          System.arraycopy(in.get(i), 0, rows, i * in.get(0).length, in.get(0).length);
        }
        long[] batchShape = shape.clone();
        batchShape[0] = n;
        try (OnnxTensor t = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(rows), batchShape);
            OrtSession.Result r = sessions.get(s).run(Map.of(feeds.get(s), t))) {
          for (int o = 0; o < outs.size(); o++) {
            float[] got = floats(r.get(outs.get(o)).orElseThrow());
            int per = single.get(0).get(o).length;
            if (got.length != n * per) {
              throw differs(
                  s, outs.get(o), n, "has " + got.length + " values, expected " + n * per);
            }
            for (int i = 0; i < n; i++) {
              float[] want = single.get(i).get(o);
              for (int j = 0; j < per; j++) {
                double d = Math.abs(got[i * per + j] - want[j]);
                if (!(d <= TOLERANCE) && !(Float.isNaN(want[j]) && Float.isNaN(got[i * per + j]))) {
                  throw differs(
                      s,
                      outs.get(o),
                      n,
                      "frame "
                          + i
                          + " value "
                          + j
                          + " is "
                          + got[i * per + j]
                          + " batched vs "
                          + want[j]
                          + " alone (tolerance "
                          + TOLERANCE
                          + ")");
                }
                worst = Math.max(worst, d);
              }
            }
          }
        }
        List<float[]> next = new ArrayList<>();
        for (List<float[]> row : single) {
          next.add(row.get(0));
        }
        in = next;
        shape = forwardShape;
      }
      return worst;
    } catch (OrtException e) {
      throw new IllegalStateException(
          "a stage failed in ONNX Runtime during the batch check: "
              + e.getMessage()
              + "; the backbone likely hard-codes batch 1 (a Reshape or shape constant): export it"
              + " with a dynamic batch axis",
          e);
    } finally {
      for (OrtSession s : sessions) {
        try {
          s.close();
        } catch (OrtException e) {
          System.getLogger(BatchProof.class.getName())
              .log(System.Logger.Level.WARNING, "closing a check session: " + e.getMessage());
        }
      }
    }
  }

  private static IllegalStateException differs(int stage, String output, int n, String detail) {
    return new IllegalStateException(
        "stage "
            + stage
            + " output '"
            + output
            + "' at batch "
            + n
            + ": "
            + detail
            + "; a stage must compute each frame of a batch as it computes the frame alone (the"
            + " backbone likely mixes frames or hard-codes batch 1: export it with a dynamic"
            + " batch axis)");
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }
}
