package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.exec.AcceleratorOptions;
import dev.offramp.cascade.exec.CudaOptions;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.exec.TensorRtOptions;
import dev.offramp.cascade.exec.TensorRtOptions.BatchProfile;
import dev.offramp.runtime.settings.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code execution} section: ONNX Runtime execution providers, in order of preference, intra-op
 * threads, and the TensorRT and CUDA provider options.
 *
 * @param providers e.g. {@code [tensorrt, cuda, cpu]}; the first available one runs each stage
 * @param threads intra-op threads per stage session; 0 lets the executor size them to the board
 * @param tensorRt {@code execution.tensorrt}: precision, caches, workspace, batch profile
 * @param cuda {@code execution.cuda}: device, cuDNN search, arena limit
 */
public record ExecutionSettings(
    List<String> providers, int threads, TensorRtOptions tensorRt, CudaOptions cuda) {
  /** Providers the cascade executor knows. */
  public static final List<String> KNOWN_PROVIDERS = List.of("tensorrt", "cuda", "cpu");

  public ExecutionSettings {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers must not be empty");
    }
    Objects.checkIndex(threads, 1025);
    Objects.requireNonNull(tensorRt, "tensorRt");
    Objects.requireNonNull(cuda, "cuda");
  }

  /** Providers and threads with the TensorRT and CUDA defaults. */
  public ExecutionSettings(List<String> providers, int threads) {
    this(providers, threads, TensorRtOptions.defaults(), CudaOptions.defaults());
  }

  /** CPU only, ONNX Runtime's own thread count, TensorRT and CUDA defaults. */
  public static ExecutionSettings defaults() {
    return new ExecutionSettings(List.of("cpu"), 0);
  }

  /** The providers as {@code ExecutionOptions.parse} takes them. */
  public String providerList() {
    return String.join(",", providers);
  }

  /**
   * The executor's options; TensorRT engine and timing caches go under {@code
   * <stateDir>/accelerators/}.
   */
  public ExecutionOptions toOptions(Path stateDir) {
    return new ExecutionOptions(
        Provider.parseList(providerList()),
        threads,
        false,
        new AcceleratorOptions(tensorRt, cuda, Optional.of(stateDir.resolve("accelerators"))));
  }

  public static ExecutionSettings parse(ConfigNode node) {
    ExecutionSettings d = defaults();
    List<String> providers = node.stringList("providers", d.providers());
    Set<String> known = Set.copyOf(KNOWN_PROVIDERS);
    for (String provider : providers) {
      if (!known.contains(provider)) {
        throw node.error(
            "providers",
            "expected a list of " + String.join(", ", KNOWN_PROVIDERS),
            "'" + provider + "'");
      }
    }
    int threads = node.integer("threads", d.threads(), 0, 1024);
    return new ExecutionSettings(
        providers,
        threads,
        parseTensorRt(node.section("tensorrt")),
        parseCuda(node.section("cuda")));
  }

  static TensorRtOptions parseTensorRt(ConfigNode n) {
    TensorRtOptions d = TensorRtOptions.defaults();
    Optional<Path> table = n.optionalPath("int8-calibration-table");
    if (table.isPresent() && !Files.isRegularFile(table.get())) {
      throw n.error(
          "int8-calibration-table",
          "expected a readable INT8 calibration table file (ONNX Runtime's calibration.flatbuffers"
              + " or, with int8-native-table: true, TensorRT's own)",
          "no such file '" + table.get() + "'");
    }
    boolean fp16 = n.bool("fp16", d.fp16());
    boolean nativeTable = n.bool("int8-native-table", d.int8NativeTable());
    boolean engineCache = n.bool("engine-cache", d.engineCache());
    boolean timingCache = n.bool("timing-cache", d.timingCache());
    int workspace = positive(n, "workspace-mb", d.workspaceMb());
    if (table.isPresent() && !engineCache) {
      throw n.error(
          "engine-cache",
          "expected true when int8-calibration-table is set (ONNX Runtime reads the table from"
              + " the engine cache directory)",
          "false");
    }
    Optional<BatchProfile> batch = Optional.empty();
    if (n.has("batch")) {
      ConfigNode b = n.section("batch");
      int min = positive(b, "min", 1);
      int opt = positive(b, "opt", min);
      int max = positive(b, "max", opt);
      if (opt < min || max < opt) {
        throw n.error(
            "batch",
            "expected 1 <= min <= opt <= max",
            "min " + min + ", opt " + opt + ", max " + max);
      }
      batch = Optional.of(new BatchProfile(min, opt, max));
    }
    return new TensorRtOptions(
        fp16, table, nativeTable, engineCache, timingCache, workspace, batch);
  }

  static CudaOptions parseCuda(ConfigNode n) {
    CudaOptions d = CudaOptions.defaults();
    int device =
        n.integer(
            "device-id", d.deviceId(), 0, Integer.MAX_VALUE, "expected 0 or a positive integer");
    CudaOptions.CudnnAlgoSearch search =
        n.enumValue("cudnn-algo-search", CudaOptions.CudnnAlgoSearch.class, d.cudnnAlgoSearch());
    int arena =
        n.integer(
            "arena-limit-mb",
            0,
            0,
            Integer.MAX_VALUE,
            "expected 0 (no limit) or a positive integer");
    return new CudaOptions(device, search, arena);
  }

  private static int positive(ConfigNode n, String key, int defaultValue) {
    return n.integer(key, defaultValue, 1, Integer.MAX_VALUE, "expected a positive integer");
  }
}
