package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages whose {@code probs} output is not a probability vector (real ONNX graphs whose exit head
 * outputs a constant NaN, −5 or 7): no exit is taken there, the frame is counted per stage, and the
 * answer's confidence is always a finite number in [0,1].
 */
class InvalidProbabilitiesTest {
  private static final TestNets NET = TestNets.small(7);
  private static final int CLASSES = NET.classes();

  @TempDir Path dir;

  private static float[] filled(float v) {
    float[] p = new float[CLASSES];
    Arrays.fill(p, v);
    return p;
  }

  private CascadeExecutor open(Map<Integer, float[]> broken) {
    Bundle bundle = Bundle.open(TestBundles.write(dir, NET, NET.stages(broken)));
    return CascadeExecutor.open(bundle, ExecutionOptions.defaults());
  }

  private static float[] input(CascadeExecutor ex, long seed) {
    Random r = new Random(seed);
    float[] x = new float[ex.bundle().manifest().input().elementCount()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static ExitPolicy profile(CascadeExecutor ex, String name) {
    return ExitPolicy.profile(ex.bundle().manifest().profiles().get(name));
  }

  @Test
  void nanAtAnExitThatWouldTakeEveryFrameMeansNoExitThereAndIsCounted() {
    try (CascadeExecutor ex = open(Map.of(0, filled(Float.NaN)))) {
      long warmUp = ex.invalidProbabilities()[0];
      for (int i = 0; i < 5; i++) {
        // "eager" exits every frame at stage 0 when its output is valid.
        Classification c = ex.classify(input(ex, i), profile(ex, "eager"));
        assertEquals(2, c.exitStage(), "stage 1 never exits under eager, so stage 2 answers");
        assertEquals(3, c.stagesRun());
        assertTrue(c.confidence() > 0 && c.confidence() <= 1, "confidence " + c.confidence());
      }
      assertArrayEquals(new long[] {warmUp + 5, 0, 0}, ex.invalidProbabilities());
    }
  }

  @Test
  void outOfRangeAndUnnormalisedOutputsAreInvalidToo() {
    float[] seven = filled(0f);
    seven[3] = 7f;
    try (CascadeExecutor ex = open(Map.of(0, seven, 1, filled(0.5f)))) {
      long[] before = ex.invalidProbabilities();
      Classification c = ex.classify(input(ex, 1), profile(ex, "eager"));
      assertEquals(2, c.exitStage());
      Classification d = ex.classify(input(ex, 2), profile(ex, "exit1"));
      assertEquals(2, d.exitStage(), "stage 1 sums to 5, so exit1 cannot take it");
      long[] after = ex.invalidProbabilities();
      assertEquals(2, after[0] - before[0]);
      assertEquals(2, after[1] - before[1]);
      assertEquals(0, after[2] - before[2]);
    }
  }

  @Test
  void invalidLastStageAnswersWithTheDeepestValidEarlierStage() throws Exception {
    float[] x;
    float[][] reference;
    try (CascadeExecutor healthy = open(Map.of())) {
      x = input(healthy, 3);
      reference = healthy.stageProbabilities(x);
    }
    try (CascadeExecutor ex = open(Map.of(2, filled(-5f)))) {
      Classification c = ex.classify(x, ExitPolicy.neverExit());
      int expected = ExitRule.argmax(reference[1]);
      assertEquals(1, c.exitStage(), "stage 1 is the deepest valid stage");
      assertEquals(3, c.stagesRun(), "every stage ran");
      assertEquals(expected, c.classId());
      assertEquals(reference[1][expected], c.confidence(), 1e-5f);
      assertEquals(ex.macsThrough(3), c.macs());
    }
  }

  @Test
  void aProbsOutputThatIsNotFloat32StopsLoadingNamingTheStage() {
    var stages = new java.util.ArrayList<>(NET.stages());
    stages.set(0, castOutputToDouble(stages.get(0), TestNets.probsName(0)));
    Bundle bundle = Bundle.open(TestBundles.write(dir, NET, stages));
    BundleException e =
        assertThrows(
            BundleException.class,
            () -> CascadeExecutor.open(bundle, ExecutionOptions.defaults()).close());
    assertTrue(
        e.getMessage()
            .startsWith("stages[0].probs: tensor 'exit_0_probs' is DOUBLE, expected FLOAT"),
        e.getMessage());
  }

  /** The graph with output {@code name} produced as float64 by an added Cast. */
  private static ModelProto castOutputToDouble(ModelProto model, String name) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    for (NodeProto.Builder node : g.getNodeBuilderList()) {
      for (int i = 0; i < node.getOutputCount(); i++) {
        if (node.getOutput(i).equals(name)) {
          node.setOutput(i, name + "_float");
        }
      }
    }
    g.addNode(
        NodeProto.newBuilder()
            .setOpType("Cast")
            .setName("to_double")
            .addInput(name + "_float")
            .addOutput(name)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("to")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(TensorProto.DataType.DOUBLE.getNumber())));
    for (ValueInfoProto.Builder out : g.getOutputBuilderList()) {
      if (out.getName().equals(name)) {
        out.getTypeBuilder()
            .getTensorTypeBuilder()
            .setElemType(TensorProto.DataType.DOUBLE.getNumber());
      }
    }
    return model.toBuilder().setGraph(g).build();
  }

  @Test
  void noValidStageAnswersWithConfidenceZero() {
    float[] last = filled(Float.NaN);
    last[6] = 7f;
    try (CascadeExecutor ex = open(Map.of(0, filled(Float.NaN), 1, filled(-5f), 2, last))) {
      Classification c = ex.classify(input(ex, 4), ExitPolicy.neverExit());
      assertEquals(0f, c.confidence());
      assertEquals(6, c.classId(), "argmax with NaN read as 0");
      assertEquals(2, c.exitStage());
      assertEquals(3, c.stagesRun());
    }
  }
}
