package dev.offramp.cascade.exec;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.Probabilities;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

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
 * <p><b>Ownership and copies.</b> The executor owns all tensors, through its {@link PinnedStages}
 * (sessions, pinned tensors, direct buffers; graph checks in {@link StageGraphs}). Stage outputs
 * are written by ONNX Runtime into pinned, direct buffers; a stage's forwarded features tensor is
 * the next stage's input tensor, so activations never pass through the Java heap. Only the small
 * probability vector of each stage run is read into Java.
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
  private final PinnedStages stages;
  private final List<String> providers;
  private final long[] macsThrough;
  private final int classes;
  private final AtomicLongArray invalid;
  private final IntConsumer countInvalid;
  // Volatile: invalidProbabilities() is read from other threads, so the class is not confined.
  private volatile boolean closed;

  private CascadeExecutor(Bundle bundle, ExecutionOptions options) {
    this.bundle = bundle;
    this.manifest = bundle.manifest();
    this.classes = manifest.classes().size();
    int n = manifest.stages().size();
    this.macsThrough = new long[n + 1];
    this.invalid = new AtomicLongArray(n);
    this.countInvalid = invalid::incrementAndGet;
    for (int k = 0; k < n; k++) {
      macsThrough[k + 1] = macsThrough[k] + manifest.stages().get(k).totalMacs();
    }
    this.stages = new PinnedStages(bundle, options);
    this.providers = stages.providers();
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
    return stages.input();
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
    FrameWalk walk = walk(policy);
    for (int k = 0; ; k++) {
      long t0 = System.nanoTime();
      stages.run(k);
      long nanos = System.nanoTime() - t0;
      float[] probs = new float[classes];
      stages.probs(k).get(0, probs);
      Classification done = walk.offer(k, probs, nanos);
      if (done != null) {
        return done;
      }
    }
  }

  /**
   * Whether this bundle's stage graphs carry a dynamic batch dimension, so {@link #classifyBatch}
   * runs several frames per stage call; false for bundles whose graphs fix batch 1, where {@link
   * #classifyBatch} runs the frames one by one.
   */
  public boolean batched() {
    ensureOpen();
    return stages.batchable();
  }

  /**
   * Classifies several preprocessed frames (each as {@link #classify(float[], ExitPolicy)} takes
   * it) together: stage 0 runs once on all of them, the exit rule is applied to each frame, and
   * only the frames that go on are carried, as a smaller batch, to stage 1, and so on. Answer i is
   * frame i's, and matches {@code classify(frames.get(i), policy)} (same class and exit stage;
   * probabilities equal up to float rounding of batched kernels). Invalid probabilities are handled
   * per frame as in {@link #classify(ExitPolicy)} and do not affect the other frames.
   *
   * <p><b>Latency attribution.</b> A frame's {@code stageNanos[k]} is the whole time of the batched
   * run of stage k it was part of (the time it waited for that stage), not a share of it: frames
   * that ran together report the same stage times.
   *
   * <p><b>Memory.</b> Batched runs use their own pinned tensors, one set per stage and batch size,
   * made on first use and closed with the executor (see {@link PinnedStages}); the single-frame
   * tensors are not touched. When {@link #batched()} is false, or for one frame, the frames run one
   * by one through the pinned single-frame path.
   *
   * @throws IllegalArgumentException when a frame does not have the input's element count
   */
  public List<Classification> classifyBatch(List<float[]> frames, ExitPolicy policy) {
    ensureOpen();
    int size = stages.input().capacity();
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i).length != size) {
        throw new IllegalArgumentException(
            "frames["
                + i
                + "]: expected "
                + size
                + " floats for shape "
                + Arrays.toString(manifest.input().shape())
                + ", found "
                + frames.get(i).length
                + "; no frame of this batch was classified");
      }
    }
    if (frames.size() <= 1 || !stages.batchable()) {
      List<Classification> out = new ArrayList<>(frames.size());
      for (float[] f : frames) {
        out.add(classify(f, policy));
      }
      return List.copyOf(out);
    }
    return BatchRun.classify(stages, frames, size, () -> walk(policy), classes);
  }

  /** A new frame walk under the policy, sharing this executor's counters. */
  private FrameWalk walk(ExitPolicy policy) {
    return new FrameWalk(policy, stages.count(), countInvalid, macsThrough, providers);
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
    float[][] out = new float[stages.count()][classes];
    for (int k = 0; k < stages.count(); k++) {
      stages.run(k);
      stages.probs(k).get(0, out[k]);
    }
    return out;
  }

  /**
   * Floats in the features tensor stage {@code stage} forwards to the next stage; 0 for the last
   * stage, which forwards nothing.
   */
  public int featureSize(int stage) {
    ensureOpen();
    FloatBuffer fb = stages.features(stage);
    return fb == null ? 0 : fb.capacity();
  }

  /**
   * Copies the features stage {@code stage} forwarded during the latest classification into {@code
   * dst} (length {@link #featureSize}), so the chain can be continued later with {@link
   * #continueFrom}. The executor keeps owning its tensors; the copy is the caller's.
   */
  public void copyFeatures(int stage, float[] dst) {
    ensureOpen();
    FloatBuffer fb = stages.features(stage);
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
    int n = stages.count();
    if (stage < 0 || stage >= n - 1) {
      throw new IllegalArgumentException(
          "continueFrom: expected an exit stage in [0," + (n - 2) + "], found " + stage);
    }
    FloatBuffer fb = stages.features(stage);
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
      stages.run(k);
      nanos[k - stage - 1] = System.nanoTime() - t0;
    }
    float[] probs = new float[classes];
    stages.probs(n - 1).get(0, probs);
    int cls;
    float confidence;
    if (Probabilities.valid(probs)) {
      cls = ExitRule.argmax(probs);
      confidence = probs[cls];
    } else {
      cls = Classification.argmaxNanAsZero(probs);
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
    if (preprocessed.length != stages.input().capacity()) {
      throw new IllegalArgumentException(
          "input: expected "
              + stages.input().capacity()
              + " floats for shape "
              + Arrays.toString(manifest.input().shape())
              + ", found "
              + preprocessed.length);
    }
    stages.input().put(0, preprocessed);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This CascadeExecutor is closed");
    }
  }

  /** Releases every session and tensor. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      stages.close();
    }
  }
}
