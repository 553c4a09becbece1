package dev.offramp.cascade.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Opens stage sessions with the first execution provider of the preference list that this ONNX
 * Runtime build has and that initialises, falling back to CPU with the reason logged.
 */
final class SessionFactory {
  private static final System.Logger LOG = System.getLogger(SessionFactory.class.getName());

  /** A session and the provider it got. */
  record Opened(OrtSession session, Provider provider) {}

  private final OrtEnvironment env;
  private final ExecutionOptions options;

  SessionFactory(OrtEnvironment env, ExecutionOptions options) {
    this.env = env;
    this.options = options;
  }

  Opened open(Path model, String what) {
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    for (Provider wanted : options.providers()) {
      if (wanted == Provider.CPU) {
        return new Opened(create(model, what, null), Provider.CPU);
      }
      OrtProvider ort = wanted == Provider.CUDA ? OrtProvider.CUDA : OrtProvider.TENSOR_RT;
      if (!available.contains(ort)) {
        LOG.log(
            Level.WARNING,
            "{0}: execution provider {1} is not in this ONNX Runtime build (it has {2}); trying"
                + " the next one. The Maven jar is CPU-only: see deploy/README.md for a GPU build.",
            what,
            wanted.configName(),
            available);
        continue;
      }
      try {
        return new Opened(create(model, what, wanted), wanted);
      } catch (ExecutionException e) {
        LOG.log(
            Level.WARNING,
            "{0}: execution provider {1} failed to initialise ({2}); trying the next one",
            what,
            wanted.configName(),
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    LOG.log(Level.WARNING, "{0}: no preferred provider worked; falling back to cpu", what);
    return new Opened(create(model, what, null), Provider.CPU);
  }

  private OrtSession create(Path model, String what, Provider provider) {
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      so.setInterOpNumThreads(1);
      String spin = options.spinning() ? "1" : "0";
      so.addConfigEntry("session.intra_op.allow_spinning", spin);
      so.addConfigEntry("session.inter_op.allow_spinning", spin);
      if (provider == Provider.TENSORRT) {
        so.addTensorrt(0);
      } else if (provider == Provider.CUDA) {
        so.addCUDA(0);
      }
      return env.createSession(model.toString(), so);
    } catch (OrtException e) {
      throw new ExecutionException(
          what
              + ": ONNX Runtime cannot load "
              + model
              + " ("
              + e.getMessage()
              + "). Expected a valid ONNX graph; rebuild the bundle if the file is damaged.",
          e);
    }
  }
}
