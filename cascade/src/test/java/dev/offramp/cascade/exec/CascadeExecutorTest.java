package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.testing.OnnxBuilder;
import dev.offramp.cascade.testing.OpenedTestBundle;
import dev.offramp.cascade.testing.TestNets;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CascadeExecutorTest {
  @RegisterExtension static final OpenedTestBundle CASCADE = new OpenedTestBundle();

  @Test
  void neverExitChainEqualsMonolithicGraphWithinOneInHundredThousand(@TempDir Path dir)
      throws Exception {
    OrtEnvironment env = OrtRuntime.environment();
    Path mono = OnnxBuilder.write(TestNets.small(7).monolithic(), dir.resolve("mono.onnx"));
    try (OrtSession session = env.createSession(mono.toString())) {
      for (int trial = 0; trial < 5; trial++) {
        float[] x = CASCADE.randomInput();
        Classification c = CASCADE.executor().classify(x, ExitPolicy.neverExit());
        assertEquals(2, c.exitStage());
        try (OnnxTensor t =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, 28, 28});
            OrtSession.Result r = session.run(Map.of(TestNets.INPUT, t))) {
          float[] expected = ((float[][]) r.get("final_probs").orElseThrow().getValue())[0];
          assertClose(expected, c.probs(), 1e-5);
        }
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, double relative) {
    assertEquals(expected.length, actual.length);
    double max = 1e-6;
    double err = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i]));
      err = Math.max(err, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(err / max <= relative, "relative error " + err / max + " > " + relative);
  }

  @ParameterizedTest(name = "profile {0} answers at stage {1}")
  @CsvSource({"eager, 0", "exit1, 1", "never, 2"})
  void profileThresholdsDecideTheAnsweringStage(String profile, int stage) {
    Manifest m = CASCADE.bundle().manifest();
    Classification c =
        CASCADE.executor().classify(CASCADE.randomInput(), ExitPolicy.profile(m.profile(profile)));
    assertEquals(stage, c.exitStage());
    assertEquals(stage + 1, c.stagesRun());
    assertEquals(stage + 1, c.stageNanos().length);
    assertEquals(m.macsThrough(stage + 1), c.macs());
    assertEquals(ExitRule.argmax(c.probs()), c.classId());
    assertEquals(c.probs()[c.classId()], c.confidence());
  }

  @Test
  void profileModeAgreesWithTheExitRuleOverAllStageProbabilities() {
    var profile = CASCADE.bundle().manifest().profile("m0.05");
    for (int trial = 0; trial < 20; trial++) {
      float[] x = CASCADE.randomInput();
      float[][] all = CASCADE.executor().stageProbabilities(x);
      Classification c = CASCADE.executor().classify(x, ExitPolicy.profile(profile));
      assertEquals(ExitRule.decide(all, profile.thresholds()), c.exitStage());
      assertArrayEquals(all[c.exitStage()], c.probs());
    }
  }

  @Test
  void exitAtStageStopsThereWhateverTheConfidence() {
    Classification c = CASCADE.executor().classify(CASCADE.randomInput(), ExitPolicy.exitAt(1));
    assertEquals(1, c.exitStage());
  }

  @Test
  void inputOfTheWrongSizeIsRejectedNamingTheShape() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CASCADE.executor().classify(new float[10], ExitPolicy.neverExit()));
    assertTrue(
        e.getMessage().contains("expected 784 floats for shape [1, 1, 28, 28]"), e.getMessage());
  }

  @Test
  void askingForCudaOnACpuBuildFallsBackToCpuAndReportsIt() {
    var options = new ExecutionOptions(List.of(Provider.CUDA, Provider.CPU), 1, false);
    try (CascadeExecutor cuda = CascadeExecutor.open(CASCADE.bundle(), options)) {
      assertEquals(List.of("cpu", "cpu", "cpu"), cuda.stageProviders());
      Classification c = cuda.classify(CASCADE.randomInput(), ExitPolicy.neverExit());
      assertEquals(List.of("cpu", "cpu", "cpu"), c.providers());
    }
  }

  @Test
  void closedExecutorRefusesWorkAndClosesTwiceQuietly() {
    CascadeExecutor e = CascadeExecutor.open(CASCADE.bundle(), ExecutionOptions.defaults());
    e.close();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.classify(ExitPolicy.neverExit()));
  }

  @Test
  void providerListParsingNamesTheAllowedValues() {
    assertEquals(
        List.of(Provider.TENSORRT, Provider.CUDA, Provider.CPU),
        Provider.parseList("tensorrt, cuda,cpu"));
    var e = assertThrows(IllegalArgumentException.class, () -> Provider.parseList("cuda,npu"));
    assertTrue(
        e.getMessage()
            .contains("execution provider: expected one of tensorrt, cuda, cpu, found 'npu'"),
        e.getMessage());
  }
}
