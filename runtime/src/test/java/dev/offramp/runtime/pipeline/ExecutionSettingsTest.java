package dev.offramp.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.offramp.cascade.exec.CudaOptions;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.exec.TensorRtOptions;
import dev.offramp.cascade.exec.TensorRtOptions.BatchProfile;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutionSettingsTest {
  @TempDir Path tmp;

  private RuntimeConfig load(String execution) throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));
    Files.writeString(tmp.resolve("clip.mp4"), "");
    Path config =
        Files.writeString(
            tmp.resolve("offramp.yaml"),
            "bundle: {path: "
                + bundle
                + "}\nsource: {uri: "
                + tmp.resolve("clip.mp4")
                + "}\nstate-dir: "
                + tmp.resolve("state")
                + "\nexecution:\n"
                + execution.replace("TABLE", tmp.resolve("calib.flatbuffers").toString()));
    return ConfigLoader.load(Optional.of(config), List.of());
  }

  @Test
  void everyTensorRtAndCudaKeyIsRead() throws Exception {
    Files.writeString(tmp.resolve("calib.flatbuffers"), "table");
    RuntimeConfig c =
        load(
            """
              providers: [tensorrt, cuda, cpu]
              tensorrt:
                fp16: true
                int8-calibration-table: TABLE
                int8-native-table: true
                engine-cache: true
                timing-cache: false
                workspace-mb: 2048
                batch: {min: 1, opt: 2, max: 4}
              cuda:
                device-id: 1
                cudnn-algo-search: heuristic
                arena-limit-mb: 512
            """);
    TensorRtOptions trt = c.execution().tensorRt();
    assertEquals(
        new TensorRtOptions(
            true,
            Optional.of(tmp.resolve("calib.flatbuffers")),
            true,
            true,
            false,
            2048,
            Optional.of(new BatchProfile(1, 2, 4))),
        trt);
    assertEquals(
        new CudaOptions(1, CudaOptions.CudnnAlgoSearch.HEURISTIC, 512), c.execution().cuda());
    ExecutionOptions o = c.execution().toOptions(c.stateDir());
    assertEquals(List.of(Provider.TENSORRT, Provider.CUDA, Provider.CPU), o.providers());
    assertEquals(
        Optional.of(tmp.resolve("state").resolve("accelerators")), o.accelerators().cacheRoot());
  }

  @Test
  void absentSectionsGiveTheProviderDefaults() throws Exception {
    RuntimeConfig c = load("  providers: [cuda, cpu]\n");
    assertEquals(TensorRtOptions.defaults(), c.execution().tensorRt());
    assertEquals(CudaOptions.defaults(), c.execution().cuda());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative workspace | '  tensorrt: {workspace-mb: -3}'                 | offramp.yaml: execution.tensorrt.workspace-mb: expected a positive integer, found -3",
        "text workspace     | '  tensorrt: {workspace-mb: lots}'               | offramp.yaml: execution.tensorrt.workspace-mb: expected a positive integer, found 'lots'",
        "fp16 not a bool    | '  tensorrt: {fp16: maybe}'                      | offramp.yaml: execution.tensorrt.fp16: expected true or false, found 'maybe'",
        "missing int8 table | '  tensorrt: {int8-calibration-table: /nope.t}'  | offramp.yaml: execution.tensorrt.int8-calibration-table: expected a readable INT8 calibration table file",
        "int8 without cache | '  tensorrt: {int8-calibration-table: TABLE, engine-cache: false}' | offramp.yaml: execution.tensorrt.engine-cache: expected true when int8-calibration-table is set",
        "batch out of order | '  tensorrt: {batch: {min: 4, opt: 2, max: 8}}'  | offramp.yaml: execution.tensorrt.batch: expected 1 <= min <= opt <= max, found min 4, opt 2, max 8",
        "zero batch         | '  tensorrt: {batch: {min: 0}}'                  | offramp.yaml: execution.tensorrt.batch.min: expected a positive integer, found 0",
        "unknown trt key    | '  tensorrt: {fp8: true}'                        | offramp.yaml: execution.tensorrt.fp8: unknown key",
        "negative device    | '  cuda: {device-id: -1}'                        | offramp.yaml: execution.cuda.device-id: expected 0 or a positive integer, found -1",
        "bad cudnn search   | '  cuda: {cudnn-algo-search: fastest}'           | offramp.yaml: execution.cuda.cudnn-algo-search: expected exhaustive, heuristic or default, found 'fastest'",
        "negative arena     | '  cuda: {arena-limit-mb: -5}'                   | offramp.yaml: execution.cuda.arena-limit-mb: expected 0 (no limit) or a positive integer, found -5",
      })
  void badValuesStopStartUpNamingTheKey(String what, String yaml, String message) throws Exception {
    Files.writeString(tmp.resolve("calib.flatbuffers"), "table");
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml + "\n"));
    assertEquals(true, e.getMessage().startsWith(message), what + ": " + e.getMessage());
  }
}
