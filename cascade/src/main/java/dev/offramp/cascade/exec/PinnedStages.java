package dev.offramp.cascade.exec;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.StageSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The native side of a {@link CascadeExecutor}: one ONNX Runtime session per stage and the tensors
 * pinned to them. It is the one owner of every session, tensor and direct buffer it creates; the
 * executor only reads and writes the buffers and asks it to run a stage.
 *
 * <p>Opening creates the sessions (through {@link SessionFactory}), checks each graph against its
 * manifest entry ({@link StageGraphs}), learns the real output shapes from one warm-up run, pins
 * the outputs into direct buffers (a stage's forwarded features tensor is the next stage's input)
 * and warms the pinned path once. On any failure everything created so far is closed.
 *
 * <p>Not thread-safe; confined to the executor's inference thread.
 */
final class PinnedStages implements AutoCloseable {
  private final List<String> files;
  private final List<StageSpec> specs;
  private final int classes;
  private final boolean batchable;
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

  PinnedStages(Bundle bundle, ExecutionOptions options) {
    Manifest manifest = bundle.manifest();
    int classes = manifest.classes().size();
    int n = manifest.stages().size();
    this.files = manifest.stages().stream().map(StageSpec::file).toList();
    this.specs = List.copyOf(manifest.stages());
    this.classes = classes;
    this.sessions = new OrtSession[n];
    this.featureTensors = new OnnxTensor[n];
    this.featureBuffers = new FloatBuffer[n];
    this.probTensors = new OnnxTensor[n];
    this.probBuffers = new FloatBuffer[n];
    OrtEnvironment env = OrtRuntime.environment();
    InputSpec spec = manifest.input();
    this.input = StageGraphs.direct(spec.elementCount());
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
        StageGraphs.checkGraph(k, stage, sessions[k], spec.shape());
        // Warm-up run: learns the real output shapes (graphs may have symbolic dims).
        long[] featureShape;
        try (OrtSession.Result warm = sessions[k].run(Map.of(stage.input(), stageIn))) {
          StageGraphs.checkProbs(warm, k, stage, classes, what);
          featureShape =
              stage.features().isPresent()
                  ? StageGraphs.tensorShape(warm, stage.features().get(), what)
                  : new long[0];
        }
        probBuffers[k] = StageGraphs.direct(classes);
        probTensors[k] = OnnxTensor.createTensor(env, probBuffers[k], new long[] {1, classes});
        Map<String, OnnxValue> pinned;
        if (stage.features().isPresent()) {
          FloatBuffer fb = StageGraphs.direct(Math.toIntExact(StageGraphs.elements(featureShape)));
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
      this.batchable = dynamicBatch(sessions, specs);
      for (int k = 0; k < n; k++) {
        run(k);
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

  /** Number of stages. */
  int count() {
    return sessions.length;
  }

  /** The execution provider each stage got. */
  List<String> providers() {
    return providers;
  }

  /** Stage 0's input buffer (NCHW float32). */
  FloatBuffer input() {
    return input;
  }

  /** Where stage {@code k}'s probabilities land when it runs. */
  FloatBuffer probs(int k) {
    return probBuffers[k];
  }

  /** The features stage {@code k} forwards (the next stage's input); null for the last stage. */
  FloatBuffer features(int k) {
    return featureBuffers[k];
  }

  /**
   * Whether every stage's input declares a symbolic first (batch) dimension, so a stage can run
   * several frames in one call. False for bundles whose graphs fix batch 1 (written before stage
   * graphs carried a dynamic batch dimension).
   */
  boolean batchable() {
    return batchable;
  }

  private static boolean dynamicBatch(OrtSession[] sessions, List<StageSpec> specs)
      throws OrtException {
    for (int k = 0; k < sessions.length; k++) {
      NodeInfo info = sessions[k].getInputInfo().get(specs.get(k).input());
      if (!(info.getInfo() instanceof TensorInfo t)
          || t.getShape().length == 0
          || t.getShape()[0] >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * What one batched stage run produced, copied to the Java heap: {@code probs} holds {@code batch}
   * rows of one value per class; {@code features} (null for the last stage) holds {@code batch}
   * rows of {@code featureShape} (whose first dimension is the batch).
   */
  record BatchOutput(float[] probs, float[] features, long[] featureShape) {}

  /**
   * Runs stage {@code k} on {@code batch} frames at once. {@code rows} holds the frames' inputs
   * back to back, each of shape {@code frameShape} (first dimension 1). Allocates the input tensor
   * and the outputs for this call and closes them before returning (see the package's memory
   * notes); only valid when {@link #batchable()}.
   */
  BatchOutput runBatch(int k, float[] rows, long[] frameShape, int batch) {
    long[] shape = frameShape.clone();
    shape[0] = batch;
    StageSpec stage = specs.get(k);
    try (OnnxTensor in =
            OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(rows), shape);
        OrtSession.Result r = sessions[k].run(Map.of(stage.input(), in))) {
      float[] probs = copy(r, stage.probs(), k);
      if (probs.length != (long) batch * classes) {
        throw new ExecutionException(
            "stage "
                + k
                + " ("
                + files.get(k)
                + ") at batch "
                + batch
                + ": expected "
                + (long) batch * classes
                + " probabilities, found "
                + probs.length
                + "; the graph does not keep the batch dimension (re-export the bundle)");
      }
      if (stage.features().isEmpty()) {
        return new BatchOutput(probs, null, null);
      }
      String name = stage.features().get();
      long[] fshape = StageGraphs.tensorShape(r, name, "stage " + k + " (" + files.get(k) + ")");
      return new BatchOutput(probs, copy(r, name, k), fshape);
    } catch (OrtException e) {
      throw new ExecutionException(
          "stage " + k + " (" + files.get(k) + ") failed at batch " + batch + ": " + e.getMessage(),
          e);
    }
  }

  private float[] copy(OrtSession.Result r, String name, int k) {
    OnnxValue v = r.get(name).orElseThrow();
    if (!(v instanceof OnnxTensor t)) {
      throw new ExecutionException(
          "stage " + k + " (" + files.get(k) + "): output '" + name + "' is not a tensor");
    }
    FloatBuffer fb = t.getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }

  void run(int k) {
    try (OrtSession.Result ignored = sessions[k].run(stageInputs.get(k), stageOutputs.get(k))) {
      // Outputs are pinned: they are already in probBuffers[k] and featureTensors[k].
    } catch (OrtException e) {
      throw new ExecutionException(
          "stage " + k + " (" + files.get(k) + ") failed: " + e.getMessage(), e);
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
          System.getLogger(PinnedStages.class.getName())
              .log(System.Logger.Level.WARNING, "Closing a stage session failed", e);
        }
      }
    }
    if (in != null) {
      in.close();
    }
  }

  @Override
  public void close() {
    closeAll(inputTensor);
  }
}
