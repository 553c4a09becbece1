package dev.offramp.benchmarks.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exec.OrtRuntime;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.cascade.testing.OnnxBuilder;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * Chain overhead: the same net run as one monolithic ONNX Runtime session and as the never-exit
 * cascade of stage sessions (heads included), same thread count, in one run. Their ratio is the
 * price of splitting. A third variant hands features between stages through the Java heap (copy
 * out, new tensor in) to show what the executor's pinned, zero-copy hand-off saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ChainOverheadBenchmark {
  /** {@code small}/{@code large}: generated nets; {@code demo}: the committed demo bundle. */
  @Param({"small", "large", "demo"})
  public String net;

  @Param({"1"})
  public int threads;

  private Path dir;
  private CascadeExecutor cascade;
  private OrtSession monolithic;
  private OnnxTensor monoInput;
  private final List<OrtSession> stages = new ArrayList<>();
  private List<String> stageInputs;
  private float[] input;
  private String monoOutput;
  private String inputName;
  private long[] inputShape;

  @Setup(Level.Trial)
  public void setUp() throws IOException, OrtException {
    dir = Files.createTempDirectory("offramp-jmh");
    Bundle bundle;
    Path mono;
    if (net.equals("demo")) {
      bundle = Bundle.open(DemoFiles.bundle());
      mono = DemoFiles.backbone();
    } else {
      TestNets nets = Nets.byName(net);
      bundle = Bundle.open(TestBundles.write(dir, nets));
      mono = OnnxBuilder.write(nets.monolithic(), dir.resolve("mono.onnx"));
    }
    monoOutput = bundle.manifest().backbone().outputs().get(0);
    inputName = bundle.manifest().input().tensor();
    inputShape = bundle.manifest().input().shape();
    cascade =
        CascadeExecutor.open(bundle, new ExecutionOptions(List.of(Provider.CPU), threads, false));
    OrtEnvironment env = OrtRuntime.environment();
    monolithic = env.createSession(mono.toString(), options());
    for (int k = 0; k < bundle.manifest().stages().size(); k++) {
      stages.add(env.createSession(bundle.stageFile(k).toString(), options()));
    }
    stageInputs =
        bundle.manifest().stages().stream()
            .map(dev.offramp.cascade.bundle.StageSpec::input)
            .toList();
    input = new float[bundle.manifest().input().elementCount()];
    Random random = new Random(1);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    monoInput =
        OnnxTensor.createTensor(env, FloatBuffer.wrap(input), bundle.manifest().input().shape());
  }

  private OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
    so.setInterOpNumThreads(1);
    so.addConfigEntry("session.intra_op.allow_spinning", "0");
    so.addConfigEntry("session.inter_op.allow_spinning", "0");
    return so;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, OrtException {
    cascade.close();
    monoInput.close();
    monolithic.close();
    for (OrtSession s : stages) {
      s.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public float monolithicBackbone() throws OrtException {
    try (OrtSession.Result r = monolithic.run(Map.of(inputName, monoInput), Set.of(monoOutput))) {
      return ((float[][]) r.get(0).getValue())[0][0];
    }
  }

  @Benchmark
  public Classification cascadeNeverExit() {
    return cascade.classify(input, ExitPolicy.neverExit());
  }

  @Benchmark
  public float cascadeCopyingThroughHeap() throws OrtException {
    OrtEnvironment env = OrtRuntime.environment();
    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
    float answer = 0;
    for (int k = 0; k < stages.size(); k++) {
      try (OrtSession.Result r = stages.get(k).run(Map.of(stageInputs.get(k), x))) {
        x.close();
        if (k == stages.size() - 1) {
          answer = ((float[][]) r.get(0).getValue())[0][0];
          x = null;
        } else {
          OnnxValue features = r.get(stageInputs.get(k + 1)).orElseThrow();
          OnnxTensor t = (OnnxTensor) features;
          FloatBuffer copy = t.getFloatBuffer(); // heap copy, as naive code does
          x = OnnxTensor.createTensor(env, copy, t.getInfo().getShape());
        }
      }
    }
    return answer;
  }
}
