package dev.offramp.benchmarks.e2e;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.exec.OrtRuntime;
import dev.offramp.cascade.exit.ExitRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The monolithic backbone as a plain ONNX Runtime session, set up the way the cascade executor sets
 * up its stage sessions (all graph optimisations, sequential execution, the same intra-op thread
 * count, one inter-op thread, spinning off) and fed the same way (a reused direct input buffer, the
 * output pinned into a reused direct buffer), so the comparison measures the split and nothing
 * else. Owns its session and tensors; {@link #close} is idempotent. Not thread-safe.
 */
public final class MonolithicVariant implements Variant, AutoCloseable {
  private final OrtSession session;
  private final FloatBuffer input;
  private final OnnxTensor inputTensor;
  private final FloatBuffer logits;
  private final OnnxTensor logitsTensor;
  private final Map<String, OnnxTensor> feeds;
  private final Map<String, OnnxValue> pinned;
  private final float[] scores;
  private final long macs;
  private boolean closed;

  /**
   * Opens the backbone.
   *
   * @param model backbone ONNX file
   * @param inputName its image input
   * @param inputShape batch-1 NCHW shape
   * @param outputName its output (logits; argmax is the prediction)
   * @param classes output size
   * @param intraOpThreads threads (0 = ONNX Runtime's default), as the cascade got
   * @param macs the backbone's MACs per frame
   */
  public MonolithicVariant(
      Path model,
      String inputName,
      long[] inputShape,
      String outputName,
      int classes,
      int intraOpThreads,
      long macs) {
    OrtEnvironment env = OrtRuntime.environment();
    int elements = 1;
    for (long d : inputShape) {
      elements = Math.multiplyExact(elements, Math.toIntExact(d));
    }
    this.input = direct(elements);
    this.logits = direct(classes);
    this.scores = new float[classes];
    this.macs = macs;
    OrtSession s = null;
    OnnxTensor in = null;
    OnnxTensor out = null;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      if (intraOpThreads > 0) {
        so.setIntraOpNumThreads(intraOpThreads);
      }
      so.setInterOpNumThreads(1);
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      so.addConfigEntry("session.inter_op.allow_spinning", "0");
      s = env.createSession(model.toString(), so);
      in = OnnxTensor.createTensor(env, input, inputShape);
      out = OnnxTensor.createTensor(env, logits, new long[] {1, classes});
      this.feeds = Map.of(inputName, in);
      this.pinned = Map.of(outputName, out);
      try (OrtSession.Result warm = s.run(feeds, pinned)) {
        // first run allocates; keep it out of the measurements
      }
    } catch (OrtException e) {
      close(s, in, out);
      throw new IllegalStateException(
          "monolithic backbone "
              + model
              + ": ONNX Runtime cannot load or run it with input '"
              + inputName
              + "' and output '"
              + outputName
              + "' ("
              + e.getMessage()
              + "); expected the backbone the bundle was built from",
          e);
    }
    this.session = s;
    this.inputTensor = in;
    this.logitsTensor = out;
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Override
  public String name() {
    return "monolithic";
  }

  @Override
  public int classify(float[] x) {
    input.put(0, x);
    try (OrtSession.Result ignored = session.run(feeds, pinned)) {
      logits.get(0, scores);
    } catch (OrtException e) {
      throw new IllegalStateException("monolithic backbone run failed: " + e.getMessage(), e);
    }
    return ExitRule.argmax(scores);
  }

  @Override
  public long lastMacs() {
    return macs;
  }

  @Override
  public int lastExitStage() {
    return 0;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      close(session, inputTensor, logitsTensor);
    }
  }

  private static void close(OrtSession s, OnnxTensor in, OnnxTensor out) {
    if (in != null) {
      in.close();
    }
    if (out != null) {
      out.close();
    }
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing the monolithic session: " + e.getMessage(), e);
      }
    }
  }
}
