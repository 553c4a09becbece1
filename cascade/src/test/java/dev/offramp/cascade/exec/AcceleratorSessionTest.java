package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.ProviderOptionKeys.StageCache;
import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorSessionTest {
  @TempDir Path dir;

  private ExecutionOptions withCache(Path root, Provider... providers) {
    return new ExecutionOptions(
        List.of(providers),
        1,
        false,
        new AcceleratorOptions(
            TensorRtOptions.defaults(), CudaOptions.defaults(), Optional.of(root)));
  }

  @Test
  void everyStageOfEveryBundleGetsItsOwnEngineNameUnderAVersionedCacheDirectory()
      throws IOException {
    Bundle a = Bundle.open(TestBundles.write(Files.createDirectories(dir.resolve("a"))));
    Bundle b = Bundle.open(TestBundles.write(Files.createDirectories(dir.resolve("b"))));
    // Same graphs, another manifest: the cache identity must differ.
    Path manifest = b.dir().resolve(Bundle.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replaceFirst("\\{", "{ "));
    Path root = dir.resolve("state");
    var opts = withCache(root, Provider.TENSORRT, Provider.CPU);
    var env = OrtRuntime.environment();
    StageCache a0 = new SessionFactory(env, opts, a).tensorRtCache(0).orElseThrow();
    StageCache a1 = new SessionFactory(env, opts, a).tensorRtCache(1).orElseThrow();
    StageCache b0 = new SessionFactory(env, opts, b).tensorRtCache(0).orElseThrow();
    assertNotEquals(a0.enginePrefix(), a1.enginePrefix());
    assertNotEquals(a0.enginePrefix(), b0.enginePrefix());
    assertEquals(a0.dir(), a1.dir());
    assertNotEquals(a0.dir(), b0.dir());
    assertTrue(a0.dir().startsWith(root.resolve("tensorrt")), a0.dir().toString());
    String key = a0.dir().getFileName().toString();
    assertTrue(key.contains("-ort" + env.getVersion() + "-trt"), key);
    assertTrue(key.endsWith("-gpu0"), key);
    assertTrue(a1.enginePrefix().endsWith("-stage1"), a1.enginePrefix());
  }

  @Test
  void askingForTensorRtOnACpuBuildRunsEveryStageOnCpuAndSaysSo() throws IOException {
    Bundle bundle = Bundle.open(TestBundles.write(Files.createDirectories(dir.resolve("b"))));
    var opts = withCache(dir.resolve("state"), Provider.TENSORRT, Provider.CUDA, Provider.CPU);
    try (CascadeExecutor e = CascadeExecutor.open(bundle, opts)) {
      assertEquals(List.of("cpu", "cpu", "cpu"), e.stageProviders());
    }
  }

  @Test
  void tensorRtVersionComesFromTheLibraryFileName() throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    assertNull(TensorRtVersion.inDir(lib));
    Files.createFile(lib.resolve("libnvinfer.so.10"));
    Files.createFile(lib.resolve("libnvinfer.so.10.3.0"));
    Files.createFile(lib.resolve("libnvinfer_plugin.so.10.3.0"));
    assertEquals("10.3.0", TensorRtVersion.inDir(lib));
  }
}
