package dev.offramp.benchmarks.jmh;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Several frames at a stage, as several cameras in one daemon give them: {@code frames} frames
 * classified one by one through the pinned single-frame path, against the same frames as one batch
 * per stage ({@link CascadeExecutor#classifyBatch}). Time per group of frames; divide by {@code
 * frames} for per-frame cost. Policy {@code never} runs every stage for every frame (pure batching
 * effect); {@code profile} uses the bundle's default profile (frames leave at different stages, so
 * later stages see smaller batches).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BatchCascadeBenchmark {
  /** {@code small}/{@code large}: generated nets; {@code demo}: the committed demo bundle. */
  @Param({"small", "large", "demo"})
  public String net;

  @Param({"4"})
  public int frames;

  @Param({"never", "profile"})
  public String policy;

  @Param({"1"})
  public int threads;

  private Path dir;
  private CascadeExecutor cascade;
  private ExitPolicy exitPolicy;
  private List<float[]> inputs;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("offramp-jmh-batch");
    Bundle bundle =
        net.equals("demo")
            ? Bundle.open(DemoFiles.bundle())
            : Bundle.open(TestBundles.write(dir, Nets.byName(net)));
    cascade =
        CascadeExecutor.open(bundle, new ExecutionOptions(List.of(Provider.CPU), threads, false));
    if (!cascade.batched()) {
      throw new IllegalStateException(
          "bundle " + bundle.dir() + " has fixed-batch graphs: nothing to compare");
    }
    var m = bundle.manifest();
    exitPolicy =
        policy.equals("never")
            ? ExitPolicy.neverExit()
            : ExitPolicy.profile(m.profile(m.defaultProfile()));
    Random random = new Random(1);
    inputs = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      float[] x = new float[m.input().elementCount()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      inputs.add(x);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cascade.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Each frame on its own, through the pinned tensors. */
  @Benchmark
  public int oneByOne() {
    int sum = 0;
    for (float[] x : inputs) {
      Classification c = cascade.classify(x, exitPolicy);
      sum += c.classId() + c.exitStage();
    }
    return sum;
  }

  /** All frames as one batch per stage. */
  @Benchmark
  public int asOneBatch() {
    int sum = 0;
    for (Classification c : cascade.classifyBatch(inputs, exitPolicy)) {
      sum += c.classId() + c.exitStage();
    }
    return sum;
  }
}
