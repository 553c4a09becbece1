package dev.offramp.cascade.exec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns offramp's accelerator options into ONNX Runtime's provider option keys and values, the
 * strings {@code OrtTensorRTProviderOptions.add} and {@code OrtCUDAProviderOptions.add} take. Pure
 * functions, so every mapping is testable without a GPU.
 */
public final class ProviderOptionKeys {
  private ProviderOptionKeys() {}

  /**
   * Where one stage's TensorRT caches go and under which name.
   *
   * @param dir the cache directory (keyed by bundle, ONNX Runtime and TensorRT versions, device)
   * @param enginePrefix a name unique to this bundle and stage, so no engine is reused for another
   *     graph that happens to share a graph name
   */
  public record StageCache(Path dir, String enginePrefix) {}

  /**
   * A stage's input, for the optimisation profile of a dynamic batch.
   *
   * @param name the input tensor's name
   * @param shape its shape at batch 1 (the first dimension is replaced by the profile's batch)
   */
  public record StageInput(String name, long[] shape) {
    public StageInput {
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    String shapeAt(int batch) {
      long[] s = shape.clone();
      if (s.length > 0) {
        s[0] = batch;
      }
      return name
          + ":"
          + Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
  }

  /**
   * The TensorRT provider options of one stage.
   *
   * @param cache where engine and timing caches go; empty turns both caches off
   * @param calibrationTableName the INT8 table's file name inside the cache directory (ONNX Runtime
   *     reads it from there), when INT8 is on
   */
  public static Map<String, String> tensorRt(
      TensorRtOptions trt,
      int deviceId,
      Optional<StageCache> cache,
      Optional<String> calibrationTableName,
      StageInput input) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("device_id", Integer.toString(deviceId));
    m.put("trt_max_workspace_size", Long.toString((long) trt.workspaceMb() * 1024 * 1024));
    m.put("trt_fp16_enable", flag(trt.fp16()));
    m.put("trt_int8_enable", flag(trt.int8()));
    if (trt.int8()) {
      m.put(
          "trt_int8_calibration_table_name",
          calibrationTableName.orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "execution.tensorrt.int8-calibration-table: INT8 needs the table copied into the"
                          + " engine cache directory; set execution.tensorrt.engine-cache: true"
                          + " and a state directory")));
      m.put("trt_int8_use_native_calibration_table", flag(trt.int8NativeTable()));
    }
    boolean engine = trt.engineCache() && cache.isPresent();
    boolean timing = trt.timingCache() && cache.isPresent();
    m.put("trt_engine_cache_enable", flag(engine));
    if (engine) {
      m.put("trt_engine_cache_path", cache.get().dir().toString());
      m.put("trt_engine_cache_prefix", cache.get().enginePrefix());
    }
    m.put("trt_timing_cache_enable", flag(timing));
    if (timing) {
      m.put("trt_timing_cache_path", cache.get().dir().toString());
    }
    trt.batch()
        .ifPresent(
            b -> {
              m.put("trt_profile_min_shapes", input.shapeAt(b.min()));
              m.put("trt_profile_opt_shapes", input.shapeAt(b.opt()));
              m.put("trt_profile_max_shapes", input.shapeAt(b.max()));
            });
    return m;
  }

  /** The CUDA provider options. */
  public static Map<String, String> cuda(CudaOptions cuda) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("device_id", Integer.toString(cuda.deviceId()));
    m.put("cudnn_conv_algo_search", cuda.cudnnAlgoSearch().name().toUpperCase(Locale.ROOT));
    if (cuda.arenaLimitMb() > 0) {
      m.put("gpu_mem_limit", Long.toString(cuda.arenaLimitMb() * 1024 * 1024));
      // Grow the arena by what is asked, not by doubling, so the limit is not overshot early.
      m.put("arena_extend_strategy", "kSameAsRequested");
    }
    return m;
  }

  private static String flag(boolean on) {
    return on ? "1" : "0";
  }
}
