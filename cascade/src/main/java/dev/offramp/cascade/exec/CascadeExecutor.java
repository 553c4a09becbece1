package dev.offramp.cascade.exec;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.StageSpec;
import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.Probabilities;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs a bundle's stages one after another on ONNX Runtime and stops at the first exit its {@link
 * ExitPolicy} takes.
 *
 * <p><b>Lifecycle.</b> {@link #open} creates one session per stage (in the process-wide ONNX
 * Runtime environment), checks every tensor the manifest names against the graphs, and warms each
 * stage with one run. {@link #close} releases every native object and is idempotent.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: one executor per inference thread. The input buffer and
 * the stage outputs are preallocated and reused by every call.
 *
 * <p><b>Ownership and copies.</b> The executor owns all tensors. Stage outputs are written by ONNX
 * Runtime into pinned, direct buffers; a stage's forwarded features tensor is the next stage's
 * input tensor, so activations never pass through the Java heap. Only the small probability vector
 * of each stage run is read into Java.
 *
 * <p><b>Invalid probabilities.</b> A stage whose {@code probs} output is not a probability vector
 * ({@link Probabilities#valid}: NaN, infinite, outside [0,1], not summing to 1) never takes an
 * exit: the cascade runs on, and the frame is counted in {@link #invalidProbabilities()} for that
 * stage. The last stage must answer; when its output is invalid, the answer is the deepest earlier
 * stage whose output was valid (its class and confidence, {@code exitStage} naming it). When no
 * stage run gave a valid output, the answer is the argmax of the last output with NaN read as 0,
 * and confidence 0. So {@link Classification#confidence()} is always a finite number in [0,1].
 */
public final class CascadeExecutor implements AutoCloseable {
  private final Bundle bundle;
  private final Manifest manifest;
  private final OrtSession[] sessions;
  private final List<String> providers;
  private final FloatBuffer input;
  private final OnnxTensor inputTensor;
  private final OnnxTensor[] featureTensors;
  private final FloatBuffer[] featureBuffers;
  private final OnnxTensor[] probTensors;
  private final FloatBuffer[] probBuffers;
  private final List<Map<String, OnnxTensor>> stageInputs;
  private final List<Map<String, OnnxValue>> stageOutputs;
  private final long[] macsThrough;
  private final int classes;
  private final AtomicLongArray invalid;
  private final float[] fallback;
  // Volatile: invalidProbabilities() is read from other threads, so the class is not confined.
  private volatile boolean closed;

  private CascadeExecutor(Bundle bundle, ExecutionOptions options) {
    this.bundle = bundle;
    this.manifest = bundle.manifest();
    this.classes = manifest.classes().size();
    int n = manifest.stages().size();
    this.sessions = new OrtSession[n];
    this.featureTensors = new OnnxTensor[n];
    this.featureBuffers = new FloatBuffer[n];
    this.probTensors = new OnnxTensor[n];
    this.probBuffers = new FloatBuffer[n];
    this.macsThrough = new long[n + 1];
    this.invalid = new AtomicLongArray(n);
    this.fallback = new float[classes];
    for (int k = 0; k < n; k++) {
      macsThrough[k + 1] = macsThrough[k] + manifest.stages().get(k).totalMacs();
    }
    OrtEnvironment env = OrtRuntime.environment();
    InputSpec spec = manifest.input();
    this.input = direct(spec.elementCount());
    List<String> got = new ArrayList<>(n);
    List<Map<String, OnnxTensor>> ins = new ArrayList<>(n);
    List<Map<String, OnnxValue>> outs = new ArrayList<>(n);
    OnnxTensor in = null;
    try {
      in = OnnxTensor.createTensor(env, input, spec.shape());
      SessionFactory factory = new SessionFactory(env, options, bundle);
      OnnxTensor stageIn = in;
      long[] stageInShape = spec.shape();
      for (int k = 0; k < n; k++) {
        StageSpec stage = manifest.stages().get(k);
        String what = "stage " + k + " (" + stage.file() + ")";
        SessionFactory.Opened opened =
            factory.open(
                bundle.stageFile(k),
                what,
                k,
                new ProviderOptionKeys.StageInput(stage.input(), stageInShape));
        sessions[k] = opened.session();
        got.add(opened.provider().configName());
        checkGraph(k, stage, sessions[k]);
        // Warm-up run: learns the real output shapes (graphs may have symbolic dims).
        long[] featureShape;
        try (OrtSession.Result warm = sessions[k].run(Map.of(stage.input(), stageIn))) {
          long[] probShape = tensorShape(warm, stage.probs(), what);
          checkFloat(warm, k, stage.probs());
          if (Arrays.stream(probShape).reduce(1, (a, b) -> a * b) != classes) {
            throw new BundleException(
                "stages["
                    + k
                    + "].probs: tensor '"
                    + stage.probs()
                    + "' has shape "
                    + Arrays.toString(probShape)
                    + ", expected "
                    + classes
                    + " probabilities (one per class in manifest.classes)");
          }
          featureShape =
              stage.features().isPresent()
                  ? tensorShape(warm, stage.features().get(), what)
                  : new long[0];
        }
        probBuffers[k] = direct(classes);
        probTensors[k] = OnnxTensor.createTensor(env, probBuffers[k], new long[] {1, classes});
        Map<String, OnnxValue> pinned;
        if (stage.features().isPresent()) {
          FloatBuffer fb =
              direct(Math.toIntExact(Arrays.stream(featureShape).reduce(1, (a, b) -> a * b)));
          featureTensors[k] = OnnxTensor.createTensor(env, fb, featureShape);
          featureBuffers[k] = fb;
          pinned = Map.of(stage.probs(), probTensors[k], stage.features().get(), featureTensors[k]);
        } else {
          pinned = Map.of(stage.probs(), probTensors[k]);
        }
        ins.add(Map.of(stage.input(), stageIn));
        outs.add(pinned);
        stageIn = featureTensors[k];
        stageInShape = featureShape;
      }
      // Second warm-up through the pinned path, so the first real frame pays nothing extra.
      this.inputTensor = in;
      this.stageInputs = List.copyOf(ins);
      this.stageOutputs = List.copyOf(outs);
      this.providers = List.copyOf(got);
      for (int k = 0; k < n; k++) {
        runStage(k);
      }
    } catch (OrtException e) {
      closeAll(in);
      throw new ExecutionException(
          "Cannot prepare bundle " + bundle.dir() + " for execution: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(in);
      throw e;
    }
  }

  /**
   * Opens a bundle for execution.
   *
   * @throws BundleException when the graphs do not match what the manifest names
   * @throws ExecutionException when ONNX Runtime cannot load or run a stage
   */
  public static CascadeExecutor open(Bundle bundle, ExecutionOptions options) {
    return new CascadeExecutor(bundle, options);
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private void checkGraph(int k, StageSpec stage, OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1 || !inputs.containsKey(stage.input())) {
      throw new BundleException(
          "stages["
              + k
              + "].input: the manifest names '"
              + stage.input()
              + "' but "
              + stage.file()
              + " has inputs "
              + inputs.keySet());
    }
    if (k == 0 && inputs.get(stage.input()).getInfo() instanceof TensorInfo info) {
      long[] declared = info.getShape();
      long[] wanted = manifest.input().shape();
      boolean compatible = declared.length == wanted.length;
      for (int i = 0; compatible && i < declared.length; i++) {
        compatible = declared[i] < 0 || declared[i] == wanted[i];
      }
      if (!compatible) {
        throw new BundleException(
            "input.shape: "
                + Arrays.toString(wanted)
                + " does not fit stage 0's input '"
                + stage.input()
                + "' declared as "
                + Arrays.toString(declared));
      }
    }
    var outputs = session.getOutputNames();
    if (!outputs.contains(stage.probs())) {
      throw new BundleException(
          "stages["
              + k
              + "].probs: '"
              + stage.probs()
              + "' is not an output of "
              + stage.file()
              + "; it has "
              + outputs);
    }
    if (stage.features().isPresent() && !outputs.contains(stage.features().get())) {
      throw new BundleException(
          "stages["
              + k
              + "].features: '"
              + stage.features().get()
              + "' is not an output of "
              + stage.file()
              + "; it has "
              + outputs);
    }
  }

  private static long[] tensorShape(OrtSession.Result result, String name, String what)
      throws OrtException {
    OnnxValue v =
        result
            .get(name)
            .orElseThrow(() -> new ExecutionException(what + ": no output named '" + name + "'"));
    if (!(v instanceof OnnxTensor t)) {
      throw new ExecutionException(what + ": output '" + name + "' is not a tensor");
    }
    return t.getInfo().getShape();
  }

  private static void checkFloat(OrtSession.Result result, int k, String name) {
    if (result.get(name).orElseThrow() instanceof OnnxTensor t
        && t.getInfo().type != OnnxJavaType.FLOAT) {
      throw new BundleException(
          "stages["
              + k
              + "].probs: tensor '"
              + name
              + "' is "
              + t.getInfo().type
              + ", expected FLOAT (float32 probabilities); export the exit head with a float32"
              + " softmax output");
    }
  }

  private void runStage(int k) {
    try (OrtSession.Result ignored = sessions[k].run(stageInputs.get(k), stageOutputs.get(k))) {
      // Outputs are pinned: they are already in probBuffers[k] and featureTensors[k].
    } catch (OrtException e) {
      throw new ExecutionException(
          "stage " + k + " (" + manifest.stages().get(k).file() + ") failed: " + e.getMessage(), e);
    }
  }

  /** The bundle this executor runs. */
  public Bundle bundle() {
    return bundle;
  }

  /**
   * The reusable input buffer (NCHW float32, {@code manifest.input()} shape). Owned by the
   * executor: fill it (e.g. with a {@link dev.offramp.cascade.preprocess.Preprocessor}) then call
   * {@link #classify(ExitPolicy)}. Valid until {@link #close}.
   */
  public FloatBuffer input() {
    ensureOpen();
    return input;
  }

  /** The execution provider each stage got, e.g. {@code [cpu, cpu, cpu]}. */
  public List<String> stageProviders() {
    return providers;
  }

  /** Copies {@code pixels} (preprocessed, NCHW) into the input buffer and classifies. */
  public Classification classify(float[] preprocessed, ExitPolicy policy) {
    loadInput(preprocessed);
    return classify(policy);
  }

  /** Classifies what the input buffer holds. */
  public Classification classify(ExitPolicy policy) {
    ensureOpen();
    int last = sessions.length - 1;
    long[] nanos = new long[sessions.length];
    float[] probs = new float[classes];
    int validStage = -1;
    int k = 0;
    for (; ; k++) {
      long t0 = System.nanoTime();
      runStage(k);
      nanos[k] = System.nanoTime() - t0;
      probBuffers[k].get(0, probs);
      boolean valid = Probabilities.valid(probs);
      if (!valid) {
        invalid.incrementAndGet(k);
      }
      if (k == last || (valid && policy.stopsAt(k, probs))) {
        if (!valid) {
          return lastStageInvalid(probs, validStage, nanos);
        }
        break;
      }
      if (valid) {
        validStage = k;
        System.arraycopy(probs, 0, fallback, 0, classes);
      }
    }
    int cls = ExitRule.argmax(probs);
    return new Classification(
        cls,
        probs[cls],
        k,
        k + 1,
        Arrays.copyOf(nanos, k + 1),
        macsThrough[k + 1],
        probs,
        providers);
  }

  /** The answer when the last stage's output is not a probability vector (class javadoc). */
  private Classification lastStageInvalid(float[] probs, int validStage, long[] nanos) {
    int n = sessions.length;
    if (validStage >= 0) {
      float[] answer = fallback.clone();
      int cls = ExitRule.argmax(answer);
      return new Classification(
          cls, answer[cls], validStage, n, nanos, macsThrough[n], answer, providers);
    }
    float[] cleaned = new float[classes];
    for (int c = 0; c < classes; c++) {
      cleaned[c] = Float.isNaN(probs[c]) ? 0f : probs[c];
    }
    return new Classification(
        ExitRule.argmax(cleaned), 0f, n - 1, n, nanos, macsThrough[n], probs.clone(), providers);
  }

  /**
   * Frames whose {@code probs} output was not a probability vector, per stage, since open. Safe to
   * call from any thread.
   */
  public long[] invalidProbabilities() {
    long[] out = new long[invalid.length()];
    for (int k = 0; k < out.length; k++) {
      out[k] = invalid.get(k);
    }
    return out;
  }

  /**
   * Runs every stage on one preprocessed input and returns each stage's probabilities, {@code
   * [stages][classes]}: evaluation applies any number of profiles to these with {@link
   * ExitRule#decide}.
   */
  public float[][] stageProbabilities(float[] preprocessed) {
    loadInput(preprocessed);
    float[][] out = new float[sessions.length][classes];
    for (int k = 0; k < sessions.length; k++) {
      runStage(k);
      probBuffers[k].get(0, out[k]);
    }
    return out;
  }

  /**
   * Floats in the features tensor stage {@code stage} forwards to the next stage; 0 for the last
   * stage, which forwards nothing.
   */
  public int featureSize(int stage) {
    ensureOpen();
    FloatBuffer fb = featureBuffers[stage];
    return fb == null ? 0 : fb.capacity();
  }

  /**
   * Copies the features stage {@code stage} forwarded during the latest classification into {@code
   * dst} (length {@link #featureSize}), so the chain can be continued later with {@link
   * #continueFrom}. The executor keeps owning its tensors; the copy is the caller's.
   */
  public void copyFeatures(int stage, float[] dst) {
    ensureOpen();
    FloatBuffer fb = featureBuffers[stage];
    if (fb == null || dst.length != fb.capacity()) {
      throw new IllegalArgumentException(
          "features of stage "
              + stage
              + ": expected a destination of "
              + (fb == null ? 0 : fb.capacity())
              + " floats, found "
              + dst.length
              + (fb == null ? " (the last stage forwards no features)" : ""));
    }
    fb.get(0, dst);
  }

  /**
   * Continues a chain from stage {@code stage + 1}: {@code features} (a copy made with {@link
   * #copyFeatures}) is loaded as stage {@code stage}'s forwarded output, and every remaining stage
   * runs, with no exit taken: the answer is the full backbone's. The returned classification counts
   * only the stages run here ({@code stagesRun}, {@code stageNanos}, {@code macs}); {@code
   * exitStage} is the last stage. Overwrites the executor's intermediate tensors, so call it
   * between two classifications, on the executor's thread. Invalid probabilities give confidence 0
   * and are not counted in {@link #invalidProbabilities}.
   */
  public Classification continueFrom(int stage, float[] features) {
    ensureOpen();
    int n = sessions.length;
    if (stage < 0 || stage >= n - 1) {
      throw new IllegalArgumentException(
          "continueFrom: expected an exit stage in [0," + (n - 2) + "], found " + stage);
    }
    FloatBuffer fb = featureBuffers[stage];
    if (features.length != fb.capacity()) {
      throw new IllegalArgumentException(
          "continueFrom: expected "
              + fb.capacity()
              + " feature floats for stage "
              + stage
              + ", found "
              + features.length);
    }
    fb.put(0, features);
    long[] nanos = new long[n - stage - 1];
    for (int k = stage + 1; k < n; k++) {
      long t0 = System.nanoTime();
      runStage(k);
      nanos[k - stage - 1] = System.nanoTime() - t0;
    }
    float[] probs = new float[classes];
    probBuffers[n - 1].get(0, probs);
    int cls;
    float confidence;
    if (Probabilities.valid(probs)) {
      cls = ExitRule.argmax(probs);
      confidence = probs[cls];
    } else {
      float[] cleaned = new float[classes];
      for (int c = 0; c < classes; c++) {
        cleaned[c] = Float.isNaN(probs[c]) ? 0f : probs[c];
      }
      cls = ExitRule.argmax(cleaned);
      confidence = 0f;
    }
    return new Classification(
        cls,
        confidence,
        n - 1,
        n - stage - 1,
        nanos,
        macsThrough[n] - macsThrough[stage + 1],
        probs,
        providers);
  }

  /** Backbone plus head MACs of the first {@code stagesRun} stages. */
  public long macsThrough(int stagesRun) {
    return macsThrough[stagesRun];
  }

  private void loadInput(float[] preprocessed) {
    ensureOpen();
    if (preprocessed.length != input.capacity()) {
      throw new IllegalArgumentException(
          "input: expected "
              + input.capacity()
              + " floats for shape "
              + Arrays.toString(manifest.input().shape())
              + ", found "
              + preprocessed.length);
    }
    input.put(0, preprocessed);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This CascadeExecutor is closed");
    }
  }

  private void closeAll(OnnxTensor in) {
    for (OnnxTensor t : featureTensors) {
      if (t != null) {
        t.close();
      }
    }
    for (OnnxTensor t : probTensors) {
      if (t != null) {
        t.close();
      }
    }
    for (OrtSession s : sessions) {
      if (s != null) {
        try {
          s.close();
        } catch (OrtException e) {
          System.getLogger(CascadeExecutor.class.getName())
              .log(System.Logger.Level.WARNING, "Closing a stage session failed", e);
        }
      }
    }
    if (in != null) {
      in.close();
    }
  }

  /** Releases every session and tensor. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeAll(inputTensor);
    }
  }
}
