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
import java.util.HashMap;
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
  private final long[][] inShapes;
  private final List<Map<Integer, Slot>> batchIns;
  private final List<Map<Integer, Slot>> batchOuts;
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
    this.inShapes = new long[n][];
    this.batchIns = new ArrayList<>(n);
    this.batchOuts = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      batchIns.add(new HashMap<>());
      batchOuts.add(new HashMap<>());
    }
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
        inShapes[k] = stageInShape.clone();
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
   * Tensors pinned for one stage at one batch size: an input (its direct buffer filled by the
   * executor) or the outputs ONNX Runtime writes into (probs, and features but for the last stage).
   */
  private record Slot(
      OnnxTensor tensor, FloatBuffer buffer, OnnxTensor features, FloatBuffer featureBuffer) {
    void close() {
      tensor.close();
      if (features != null) {
        features.close();
      }
    }
  }

  /** The per-frame input shape of stage {@code k} (first dimension 1). */
  private long[] batched(long[] frameShape, int batch) {
    long[] shape = frameShape.clone();
    shape[0] = batch;
    return shape;
  }

  /**
   * The direct buffer of stage {@code k}'s input tensor for a batch of {@code batch} frames, rows
   * back to back; created on first use and kept (pinned) until {@link #close}.
   */
  FloatBuffer batchInput(int k, int batch) {
    return batchIns
        .get(k)
        .computeIfAbsent(
            batch,
            b -> {
              long[] shape = batched(inShapes[k], b);
              FloatBuffer fb = StageGraphs.direct(Math.toIntExact(StageGraphs.elements(shape)));
              return new Slot(tensor(fb, shape), fb, null, null);
            })
        .buffer();
  }

  private Slot outputs(int k, int batch) {
    return batchOuts
        .get(k)
        .computeIfAbsent(
            batch,
            b -> {
              FloatBuffer probs = StageGraphs.direct(b * classes);
              OnnxTensor pt = tensor(probs, new long[] {b, classes});
              if (k == sessions.length - 1) {
                return new Slot(pt, probs, null, null);
              }
              long[] shape = batched(inShapes[k + 1], b);
              FloatBuffer fb = StageGraphs.direct(Math.toIntExact(StageGraphs.elements(shape)));
              try {
                return new Slot(pt, probs, tensor(fb, shape), fb);
              } catch (RuntimeException e) {
                pt.close();
                throw e;
              }
            });
  }

  private static OnnxTensor tensor(FloatBuffer fb, long[] shape) {
    try {
      return OnnxTensor.createTensor(OrtRuntime.environment(), fb, shape);
    } catch (OrtException e) {
      throw new ExecutionException(
          "cannot create a tensor of shape "
              + java.util.Arrays.toString(shape)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Runs stage {@code k} on {@code batch} frames at once, into pinned outputs ({@link #batchProbs},
   * {@link #batchFeatures}). Its input is stage {@code k-1}'s batch features when {@code chained}
   * (every frame of that batch goes on: no copy), else {@link #batchInput}. Only valid when {@link
   * #batchable()}.
   */
  void runBatch(int k, int batch, boolean chained) {
    StageSpec stage = specs.get(k);
    OnnxTensor in =
        chained ? outputs(k - 1, batch).features() : batchIns.get(k).get(batch).tensor();
    Slot out = outputs(k, batch);
    Map<String, OnnxValue> pinned =
        out.features() == null
            ? Map.of(stage.probs(), out.tensor())
            : Map.of(stage.probs(), out.tensor(), stage.features().get(), out.features());
    try (OrtSession.Result ignored = sessions[k].run(Map.of(stage.input(), in), pinned)) {
      // Outputs are pinned: already in the slot's buffers.
    } catch (OrtException e) {
      throw new ExecutionException(
          "stage " + k + " (" + files.get(k) + ") failed at batch " + batch + ": " + e.getMessage(),
          e);
    }
  }

  /** Where stage {@code k}'s probabilities for a batch land: {@code batch} rows of classes. */
  FloatBuffer batchProbs(int k, int batch) {
    return outputs(k, batch).buffer();
  }

  /** The features stage {@code k} forwards for a batch; null for the last stage. */
  FloatBuffer batchFeatures(int k, int batch) {
    return outputs(k, batch).featureBuffer();
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
    for (List<Map<Integer, Slot>> all : List.of(batchIns, batchOuts)) {
      for (Map<Integer, Slot> slots : all) {
        slots.values().forEach(Slot::close);
        slots.clear();
      }
    }
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
