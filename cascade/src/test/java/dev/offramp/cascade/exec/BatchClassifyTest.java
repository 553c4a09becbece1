package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CascadeExecutor#classifyBatch} against one-by-one classification on real ONNX Runtime. */
class BatchClassifyTest {
  private static final double TOLERANCE = 1e-5;
  private final Random random = new Random(11);

  private List<float[]> frames(Manifest m, int n) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[m.input().elementCount()];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) random.nextGaussian();
      }
      out.add(x);
    }
    return out;
  }

  /** Every answer of the batch equals the one-by-one answer of the same frame. */
  private static void assertSameAsOneByOne(
      CascadeExecutor ex, List<float[]> frames, ExitPolicy policy) {
    List<Classification> batch = ex.classifyBatch(frames, policy);
    assertEquals(frames.size(), batch.size());
    for (int i = 0; i < frames.size(); i++) {
      Classification one = ex.classify(frames.get(i), policy);
      Classification b = batch.get(i);
      String what = "frame " + i;
      assertEquals(one.classId(), b.classId(), what);
      assertEquals(one.exitStage(), b.exitStage(), what);
      assertEquals(one.stagesRun(), b.stagesRun(), what);
      assertEquals(one.stageNanos().length, b.stageNanos().length, what);
      assertEquals(one.macs(), b.macs(), what);
      assertEquals(one.confidence(), b.confidence(), TOLERANCE, what);
      for (int c = 0; c < one.probs().length; c++) {
        assertEquals(one.probs()[c], b.probs()[c], TOLERANCE, what + " class " + c);
      }
    }
  }

  @ParameterizedTest(name = "{0} frames")
  @ValueSource(ints = {1, 2, 4, 7})
  void batchEqualsOneByOneOnADynamicBatchBundle(int n, @TempDir Path dir) {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      assertTrue(ex.batched(), "TestNets graphs declare a symbolic batch dimension");
      Manifest m = bundle.manifest();
      for (String p : List.of("m0.05", "eager", "exit1", "never")) {
        assertSameAsOneByOne(ex, frames(m, n), ExitPolicy.profile(m.profile(p)));
      }
    }
  }

  @Test
  void framesExitAtDifferentStagesAndOnlyTheRestRunOn(@TempDir Path dir) {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      Manifest m = bundle.manifest();
      int classes = m.classes().size();
      List<float[]> frames = frames(m, 6);
      // Exit 0's threshold sits between the frames' exit-0 confidences, exit 1 takes the rest
      // of those above the median of exit 1: the frames spread over all three stages.
      double[] top0 = new double[frames.size()];
      double[] top1 = new double[frames.size()];
      for (int i = 0; i < frames.size(); i++) {
        float[][] all = ex.stageProbabilities(frames.get(i));
        top0[i] = max(all[0]);
        top1[i] = max(all[1]);
      }
      double t0 = between(top0, 2);
      double t1 = between(top1, 3);
      double[][] rows = new double[2][classes];
      Arrays.fill(rows[0], t0);
      Arrays.fill(rows[1], t1);
      ExitPolicy policy = new ExitPolicy.Thresholds(ThresholdTable.of(rows));
      List<Classification> batch = ex.classifyBatch(frames, policy);
      int[] exits = batch.stream().mapToInt(Classification::exitStage).toArray();
      assertTrue(Arrays.stream(exits).anyMatch(e -> e == 0), Arrays.toString(exits));
      assertTrue(Arrays.stream(exits).anyMatch(e -> e > 0), Arrays.toString(exits));
      assertSameAsOneByOne(ex, frames, policy);
      for (Classification c : batch) {
        assertEquals(c.exitStage() + 1, c.stageNanos().length);
        assertEquals(m.macsThrough(c.exitStage() + 1), c.macs());
      }
    }
  }

  /** The k-th smallest value's midpoint with the next one (values sorted). */
  private static double between(double[] values, int k) {
    double[] v = values.clone();
    Arrays.sort(v);
    return (v[k - 1] + v[k]) / 2;
  }

  private static double max(float[] p) {
    double m = 0;
    for (float f : p) {
      m = Math.max(m, f);
    }
    return m;
  }

  @Test
  void batchesOfChangingSizesReusingPinnedTensorsStillMatchOneByOne(@TempDir Path dir) {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      Manifest m = bundle.manifest();
      ExitPolicy policy = ExitPolicy.profile(m.profile("m0.05"));
      for (int n : new int[] {4, 2, 4, 3, 1, 4}) {
        // New frames each time: an answer left over from an earlier batch would not match.
        assertSameAsOneByOne(ex, frames(m, n), policy);
        assertSameAsOneByOne(ex, frames(m, n), ExitPolicy.neverExit());
      }
    }
  }

  @Test
  void aFrameWithNanPixelsIsAnsweredAloneAndLeavesTheOthersUntouched(@TempDir Path dir) {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      Manifest m = bundle.manifest();
      List<float[]> frames = frames(m, 4);
      Arrays.fill(frames.get(2), Float.NaN);
      ExitPolicy policy = ExitPolicy.profile(m.profile("m0.05"));
      long[] before = ex.invalidProbabilities();
      List<Classification> batch = ex.classifyBatch(frames, policy);
      long[] after = ex.invalidProbabilities();
      // The NaN frame's output is invalid at every stage: counted once per stage, nothing else.
      for (int k = 0; k < after.length; k++) {
        assertEquals(before[k] + 1, after[k], "stage " + k);
      }
      Classification broken = batch.get(2);
      assertEquals(0f, broken.confidence());
      assertEquals(TestNets.STAGES - 1, broken.exitStage());
      for (int i : new int[] {0, 1, 3}) {
        Classification one = ex.classify(frames.get(i), policy);
        assertEquals(one.classId(), batch.get(i).classId());
        assertEquals(one.exitStage(), batch.get(i).exitStage());
        assertEquals(one.confidence(), batch.get(i).confidence(), TOLERANCE);
        assertTrue(batch.get(i).confidence() > 0f);
      }
      assertSameAsOneByOne(ex, frames, policy);
    }
  }

  @Test
  void aBundleWithFixedBatchOneRunsTheFramesOneByOne(@TempDir Path dir) {
    TestNets net = TestNets.small(7);
    List<ModelProto> fixed = net.stages().stream().map(BatchClassifyTest::fixBatchOne).toList();
    Bundle bundle = Bundle.open(TestBundles.write(dir, net, fixed));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      assertFalse(ex.batched(), "graphs declare batch 1");
      Manifest m = bundle.manifest();
      for (int n : new int[] {1, 3}) {
        assertSameAsOneByOne(ex, frames(m, n), ExitPolicy.profile(m.profile("m0.05")));
      }
    }
  }

  @Test
  void theCommittedDemoBundleGivesTheSameAnswersInABatch() {
    Path demo = Path.of("..", "demo", "fashion-resnet18", "bundle");
    assertTrue(Files.isDirectory(demo), "the demo bundle is committed at " + demo.toAbsolutePath());
    Bundle bundle = Bundle.open(demo);
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      // Its backbone was exported with a dynamic batch axis, which the cut graphs kept: ResNet-18
      // stages really run batched here.
      assertTrue(ex.batched(), "the demo bundle's stage inputs declare a symbolic batch");
      Manifest m = bundle.manifest();
      assertSameAsOneByOne(ex, frames(m, 4), ExitPolicy.profile(m.profile(m.defaultProfile())));
      assertSameAsOneByOne(ex, frames(m, 4), ExitPolicy.neverExit());
    }
  }

  @Test
  void aFrameOfTheWrongSizeIsRefusedBeforeAnythingRuns(@TempDir Path dir) {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      List<float[]> frames = new ArrayList<>(frames(bundle.manifest(), 2));
      frames.add(new float[3]);
      long[] before = ex.invalidProbabilities();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ex.classifyBatch(frames, ExitPolicy.neverExit()));
      assertTrue(e.getMessage().contains("frames[2]: expected 784 floats"), e.getMessage());
      assertArrayEquals(before, ex.invalidProbabilities());
      assertEquals(List.of(), ex.classifyBatch(List.of(), ExitPolicy.neverExit()));
    }
  }

  /** The graph with every input's and output's first dimension fixed to 1, as old bundles had. */
  static ModelProto fixBatchOne(ModelProto model) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    for (ValueInfoProto.Builder v : g.getInputBuilderList()) {
      fix(v);
    }
    for (ValueInfoProto.Builder v : g.getOutputBuilderList()) {
      fix(v);
    }
    return model.toBuilder().setGraph(g).build();
  }

  private static void fix(ValueInfoProto.Builder v) {
    v.getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .setDim(0, TensorShapeProto.Dimension.newBuilder().setDimValue(1));
  }
}
