package dev.offramp.cascade.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.ProviderOptionKeys.StageCache;
import dev.offramp.cascade.exec.ProviderOptionKeys.StageInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Opens stage sessions with the first execution provider of the preference list that this ONNX
 * Runtime build has and that initialises, falling back to CPU with the reason logged. TensorRT and
 * CUDA get their options through ONNX Runtime's provider option classes; TensorRT's engine and
 * timing caches go to {@code <cache root>/tensorrt/<key>/}, where the key names the bundle's
 * manifest hash, the ONNX Runtime and TensorRT versions and the device, and every stage's engines
 * carry a prefix unique to the bundle and stage.
 */
final class SessionFactory {
  private static final System.Logger LOG = System.getLogger(SessionFactory.class.getName());

  /** A session and the provider it got. */
  record Opened(OrtSession session, Provider provider) {}

  private final OrtEnvironment env;
  private final ExecutionOptions options;
  private final Bundle bundle;

  SessionFactory(OrtEnvironment env, ExecutionOptions options, Bundle bundle) {
    this.env = env;
    this.options = options;
    this.bundle = bundle;
  }

  Opened open(Path model, String what, int stage, StageInput input) {
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    for (Provider wanted : options.providers()) {
      if (wanted == Provider.CPU) {
        return new Opened(create(model, what, null, stage, input), Provider.CPU);
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
        if (wanted == Provider.TENSORRT) {
          LOG.log(
              Level.INFO,
              "{0}: opening with TensorRT; a first start builds its engine (minutes on a Jetson),"
                  + " later starts load it from {1}",
              what,
              tensorRtCache(stage).map(c -> c.dir().toString()).orElse("nowhere (no cache)"));
        }
        return new Opened(create(model, what, wanted, stage, input), wanted);
      } catch (ExecutionException | IllegalArgumentException | UncheckedIOException e) {
        LOG.log(
            Level.WARNING,
            "{0}: execution provider {1} failed to initialise ({2}); trying the next one",
            what,
            wanted.configName(),
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    LOG.log(Level.WARNING, "{0}: no preferred provider worked; falling back to cpu", what);
    return new Opened(create(model, what, null, stage, input), Provider.CPU);
  }

  private OrtSession create(
      Path model, String what, Provider provider, int stage, StageInput input) {
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
      AcceleratorOptions acc = options.accelerators();
      if (provider == Provider.TENSORRT) {
        Optional<StageCache> cache = tensorRtCache(stage);
        Optional<String> table = calibrationTable(cache);
        Map<String, String> keys =
            ProviderOptionKeys.tensorRt(acc.tensorRt(), acc.cuda().deviceId(), cache, table, input);
        // Kept open until the session exists: ONNX Runtime reads them when it creates the
        // session's providers.
        try (OrtTensorRTProviderOptions trt =
            new OrtTensorRTProviderOptions(acc.cuda().deviceId())) {
          for (Map.Entry<String, String> e : keys.entrySet()) {
            trt.add(e.getKey(), e.getValue());
          }
          so.addTensorrt(trt);
          return env.createSession(model.toString(), so);
        }
      } else if (provider == Provider.CUDA) {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(acc.cuda().deviceId())) {
          for (Map.Entry<String, String> e : ProviderOptionKeys.cuda(acc.cuda()).entrySet()) {
            cuda.add(e.getKey(), e.getValue());
          }
          so.addCUDA(cuda);
          return env.createSession(model.toString(), so);
        }
      }
      return env.createSession(model.toString(), so);
    } catch (OrtException e) {
      throw new ExecutionException(
          what
              + ": ONNX Runtime cannot load "
              + model
              + (provider == null ? "" : " with " + provider.configName())
              + " ("
              + e.getMessage()
              + "). Expected a valid ONNX graph; rebuild the bundle if the file is damaged.",
          e);
    }
  }

  /** The stage's TensorRT cache directory and engine prefix, when there is a cache root. */
  Optional<StageCache> tensorRtCache(int stage) {
    TensorRtOptions trt = options.accelerators().tensorRt();
    if (!trt.engineCache() && !trt.timingCache() && !trt.int8()) {
      return Optional.empty();
    }
    return options
        .accelerators()
        .cacheRoot()
        .map(
            root -> {
              String bundleHash = manifestSha256().substring(0, 16);
              String key =
                  bundleHash
                      + "-ort"
                      + ortVersion()
                      + "-trt"
                      + TensorRtVersion.detect()
                      + "-gpu"
                      + options.accelerators().cuda().deviceId();
              Path dir = root.resolve("tensorrt").resolve(key);
              String prefix = safe(bundle.manifest().name()) + "-" + bundleHash + "-stage" + stage;
              return new StageCache(dir, prefix);
            });
  }

  private Optional<String> calibrationTable(Optional<StageCache> cache) {
    Optional<Path> table = options.accelerators().tensorRt().int8CalibrationTable();
    if (table.isEmpty() || cache.isEmpty()) {
      return Optional.empty();
    }
    // ONNX Runtime reads the table from the engine cache directory, by file name.
    Path dir = cache.get().dir();
    Path source = table.get();
    Path fileName = source.getFileName();
    if (fileName == null) {
      throw new IllegalArgumentException(
          "execution.tensorrt.int8-calibration-table: expected a file, found " + source);
    }
    String name = fileName.toString();
    try {
      Files.createDirectories(dir);
      Files.copy(source, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "execution.tensorrt.int8-calibration-table: cannot copy "
              + source
              + " into "
              + dir
              + " ("
              + e.getMessage()
              + "). Expected a readable file and a writable state directory.",
          e);
    }
    return Optional.of(name);
  }

  private String ortVersion() {
    return safe(env.getVersion());
  }

  private String manifestSha256() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(md.digest(Files.readAllBytes(bundle.dir().resolve(Bundle.MANIFEST))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + bundle.dir().resolve(Bundle.MANIFEST), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
