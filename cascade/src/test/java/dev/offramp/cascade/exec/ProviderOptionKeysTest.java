package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.exec.CudaOptions.CudnnAlgoSearch;
import dev.offramp.cascade.exec.ProviderOptionKeys.StageCache;
import dev.offramp.cascade.exec.ProviderOptionKeys.StageInput;
import dev.offramp.cascade.exec.TensorRtOptions.BatchProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderOptionKeysTest {
  private static final StageInput INPUT = new StageInput("feat_in", new long[] {1, 64, 7, 7});
  private static final StageCache CACHE =
      new StageCache(Path.of("/var/lib/offramp/accel/tensorrt/k"), "fm-abc-stage1");

  @Test
  void everyTensorRtOptionLandsOnItsOrtKey() {
    var trt =
        new TensorRtOptions(
            true,
            Optional.of(Path.of("/data/calib.flatbuffers")),
            true,
            true,
            true,
            512,
            Optional.of(new BatchProfile(1, 2, 4)));
    Map<String, String> m =
        ProviderOptionKeys.tensorRt(
            trt, 1, Optional.of(CACHE), Optional.of("calib.flatbuffers"), INPUT);
    assertEquals("1", m.get("device_id"));
    assertEquals(Long.toString(512L * 1024 * 1024), m.get("trt_max_workspace_size"));
    assertEquals("1", m.get("trt_fp16_enable"));
    assertEquals("1", m.get("trt_int8_enable"));
    assertEquals("calib.flatbuffers", m.get("trt_int8_calibration_table_name"));
    assertEquals("1", m.get("trt_int8_use_native_calibration_table"));
    assertEquals("1", m.get("trt_engine_cache_enable"));
    assertEquals(CACHE.dir().toString(), m.get("trt_engine_cache_path"));
    assertEquals("fm-abc-stage1", m.get("trt_engine_cache_prefix"));
    assertEquals("1", m.get("trt_timing_cache_enable"));
    assertEquals(CACHE.dir().toString(), m.get("trt_timing_cache_path"));
    assertEquals("feat_in:1x64x7x7", m.get("trt_profile_min_shapes"));
    assertEquals("feat_in:2x64x7x7", m.get("trt_profile_opt_shapes"));
    assertEquals("feat_in:4x64x7x7", m.get("trt_profile_max_shapes"));
  }

  @Test
  void tensorRtDefaultsAreFp32WithCachesAndNoShapeProfile() {
    Map<String, String> m =
        ProviderOptionKeys.tensorRt(
            TensorRtOptions.defaults(), 0, Optional.of(CACHE), Optional.empty(), INPUT);
    assertEquals("0", m.get("trt_fp16_enable"));
    assertEquals("0", m.get("trt_int8_enable"));
    assertEquals(Long.toString(1024L * 1024 * 1024), m.get("trt_max_workspace_size"));
    assertEquals("1", m.get("trt_engine_cache_enable"));
    assertFalse(m.containsKey("trt_int8_calibration_table_name"));
    assertFalse(m.containsKey("trt_profile_min_shapes"));
  }

  @Test
  void withoutACacheDirectoryBothCachesAreOff() {
    Map<String, String> m =
        ProviderOptionKeys.tensorRt(
            TensorRtOptions.defaults(), 0, Optional.empty(), Optional.empty(), INPUT);
    assertEquals("0", m.get("trt_engine_cache_enable"));
    assertEquals("0", m.get("trt_timing_cache_enable"));
    assertFalse(m.containsKey("trt_engine_cache_path"));
    assertFalse(m.containsKey("trt_engine_cache_prefix"));
  }

  @Test
  void int8WithoutItsTableInTheCacheIsRefusedNamingTheKey() {
    var trt =
        new TensorRtOptions(
            false, Optional.of(Path.of("/t.cache")), false, true, true, 64, Optional.empty());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProviderOptionKeys.tensorRt(trt, 0, Optional.empty(), Optional.empty(), INPUT));
    assertTrue(
        e.getMessage().startsWith("execution.tensorrt.int8-calibration-table:"), e.getMessage());
  }

  @Test
  void everyCudaOptionLandsOnItsOrtKey() {
    Map<String, String> m =
        ProviderOptionKeys.cuda(new CudaOptions(2, CudnnAlgoSearch.HEURISTIC, 768));
    assertEquals("2", m.get("device_id"));
    assertEquals("HEURISTIC", m.get("cudnn_conv_algo_search"));
    assertEquals(Long.toString(768L * 1024 * 1024), m.get("gpu_mem_limit"));
    assertEquals("kSameAsRequested", m.get("arena_extend_strategy"));
  }

  @Test
  void cudaWithoutArenaLimitSetsNoMemoryLimit() {
    Map<String, String> m = ProviderOptionKeys.cuda(CudaOptions.defaults());
    assertEquals("EXHAUSTIVE", m.get("cudnn_conv_algo_search"));
    assertFalse(m.containsKey("gpu_mem_limit"));
  }

  @Test
  void badValuesAreRefusedNamingTheKeyAndTheValue() {
    var w =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TensorRtOptions(
                    false, Optional.empty(), false, true, true, -3, Optional.empty()));
    assertEquals("tensorrt.workspace-mb: expected a positive integer, found -3", w.getMessage());
    var b = assertThrows(IllegalArgumentException.class, () -> new BatchProfile(2, 1, 4));
    assertTrue(b.getMessage().startsWith("tensorrt.batch: expected 1 <= min <= opt <= max"));
    var d =
        assertThrows(
            IllegalArgumentException.class, () -> new CudaOptions(-1, CudnnAlgoSearch.DEFAULT, 0));
    assertTrue(d.getMessage().startsWith("cuda.device-id:"), d.getMessage());
    var a =
        assertThrows(
            IllegalArgumentException.class, () -> new CudaOptions(0, CudnnAlgoSearch.DEFAULT, -5));
    assertTrue(a.getMessage().startsWith("cuda.arena-limit-mb:"), a.getMessage());
  }
}
