package dev.offramp.exporter.bundle;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.Ort;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.train.HeadWeights;
import dev.offramp.exporter.train.TrainedHead;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merge-and-prove: puts each trained head into its stage graph ({@link HeadGraph}), gives the last
 * stage its {@code final_probs} softmax, and proves the merged graphs in ONNX Runtime against the
 * DJL heads and the backbone before anything is written, and that a batch of frames in one call
 * gives what single calls give ({@link BatchProof}). Stateless.
 */
public final class StageMerger {
  private static final Logger LOG = System.getLogger(StageMerger.class.getName());

  /** Largest allowed |ONNX − reference| when proving merged graphs. */
  public static final double TOLERANCE = 1e-4;

  private static final int CHECK_SAMPLES = 32;

  /** Frames run as one batch to prove the dynamic batch dimension ({@link BatchProof}). */
  private static final int BATCH_CHECK = 4;

  private StageMerger() {}

  /**
   * The stage graphs with head k merged into stage k and a softmax on the last stage's logits, each
   * with a dynamic batch dimension ({@link BatchDims}).
   *
   * @param stages the bare stage graphs, one more than {@code cuts}
   * @param cuts the cut tensors
   * @param heads the trained heads, one per cut
   * @param logitsName the backbone's logits output
   */
  public static List<ModelProto> merge(
      List<StageGraph> stages, List<String> cuts, List<TrainedHead> heads, String logitsName) {
    return mergeWeights(
        stages, cuts, heads.stream().map(h -> h.result().weights()).toList(), logitsName);
  }

  /** {@link #merge} from the heads' weights alone. */
  public static List<ModelProto> mergeWeights(
      List<StageGraph> stages, List<String> cuts, List<HeadWeights> heads, String logitsName) {
    List<ModelProto> merged = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      ModelProto mp = stages.get(s).model();
      if (s < cuts.size()) {
        mp = HeadGraph.withHead(mp, s, cuts.get(s), heads.get(s));
      } else {
        mp = HeadGraph.withFinalSoftmax(mp, logitsName);
      }
      merged.add(BatchDims.dynamic(mp));
    }
    return List.copyOf(merged);
  }

  /** Each stage's input tensor: the model input, then the cuts. */
  public static List<String> feeds(String inputName, List<String> cuts) {
    List<String> feeds = new ArrayList<>();
    feeds.add(inputName);
    feeds.addAll(cuts);
    return List.copyOf(feeds);
  }

  /** Each stage's outputs: the forwarded cut then the exit's probabilities; the last, its probs. */
  public static List<List<String>> outputs(List<String> cuts) {
    List<List<String>> out = new ArrayList<>();
    for (int s = 0; s < cuts.size(); s++) {
      out.add(List.of(cuts.get(s), HeadGraph.probsName(s)));
    }
    out.add(List.of(HeadGraph.FINAL_PROBS));
    return List.copyOf(out);
  }

  /**
   * Runs the merged stages chained in ONNX Runtime on the first valid images and checks every
   * exit's probabilities against the DJL head, the forwarded features against the next stage's
   * input, and {@code final_probs} against the cached backbone softmax.
   */
  public static void prove(
      List<ModelProto> merged,
      List<String> cuts,
      InputSpec spec,
      ImageSet valid,
      SplitFeatures fValid,
      List<TrainedHead> heads) {
    String inputName = spec.tensor();
    int n = Math.min(CHECK_SAMPLES, valid.size());
    int classes = fValid.backboneProbs()[0].length;
    List<OrtSession> sessions = new ArrayList<>();
    try {
      for (int s = 0; s < merged.size(); s++) {
        sessions.add(Ort.session(merged.get(s).toByteArray(), "merged stage " + s));
      }
      Preprocessor pre = new Preprocessor(spec);
      byte[] px = new byte[valid.imageBytes()];
      double worst = 0;
      List<float[]> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float[] in = new float[spec.elementCount()];
        valid.image(i, px);
        pre.fill(px, in, 0);
        if (batch.size() < BATCH_CHECK) {
          batch.add(in);
        }
        float[] x = in;
        long[] shape = spec.shape();
        for (int s = 0; s < merged.size(); s++) {
          String feed = s == 0 ? inputName : cuts.get(s - 1);
          try (OnnxTensor tensor = OnnxTensor.createTensor(Ort.env(), FloatBuffer.wrap(x), shape);
              OrtSession.Result r = sessions.get(s).run(Map.of(feed, tensor))) {
            boolean last = s == merged.size() - 1;
            String probsName = last ? HeadGraph.FINAL_PROBS : HeadGraph.probsName(s);
            float[] got = floats(r.get(probsName).orElseThrow());
            float[] want;
            if (last) {
              want = fValid.backboneProbs()[i];
            } else {
              float[] pooled = new float[heads.get(s).shape().inputSize()];
              System.arraycopy(fValid.pooled().get(s), i * pooled.length, pooled, 0, pooled.length);
              want = heads.get(s).probabilities(pooled, 1);
            }
            for (int c = 0; c < classes; c++) {
              double d = Math.abs(got[c] - want[c]);
              worst = Math.max(worst, d);
              if (d > TOLERANCE) {
                throw new IllegalStateException(
                    "merged stage "
                        + s
                        + " output "
                        + probsName
                        + " differs from "
                        + (last ? "the backbone's softmax" : "the DJL head")
                        + " on valid image "
                        + i
                        + ", class "
                        + c
                        + ": "
                        + got[c]
                        + " vs "
                        + want[c]
                        + " (tolerance "
                        + TOLERANCE
                        + "); the bundle was not written");
              }
            }
            if (!last) {
              OnnxValue f = r.get(cuts.get(s)).orElseThrow();
              x = floats(f);
              shape = ((OnnxTensor) f).getInfo().getShape();
            }
          } catch (OrtException e) {
            throw new IllegalStateException(
                "merged stage " + s + " failed in ONNX Runtime: " + e.getMessage(), e);
          }
        }
      }
      double batchWorst =
          BatchProof.check(merged, feeds(inputName, cuts), outputs(cuts), batch, spec.shape());
      LOG.log(
          Level.INFO,
          String.format(
              Locale.ROOT,
              "merged stages match DJL heads and the backbone on %d images (max |diff| %.2e);"
                  + " a batch of %d matches single runs (max |diff| %.2e)",
              n,
              worst,
              batch.size(),
              batchWorst));
    } finally {
      for (OrtSession s : sessions) {
        try {
          s.close();
        } catch (OrtException e) {
          LOG.log(Level.WARNING, "closing a check session: " + e.getMessage());
        }
      }
    }
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }
}
