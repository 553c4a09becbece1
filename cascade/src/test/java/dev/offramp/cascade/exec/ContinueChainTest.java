package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.testing.TestBundles;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continuing a chain from copied features gives the full backbone's answer (the live audit). */
class ContinueChainTest {
  @TempDir static Path dir;
  private static Bundle bundle;
  private static CascadeExecutor executor;
  private static final Random RANDOM = new Random();

  @BeforeAll
  static void open() {
    bundle = Bundle.open(TestBundles.write(dir));
    executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults());
  }

  @AfterAll
  static void close() {
    executor.close();
  }

  private static float[] randomInput() {
    float[] x = new float[bundle.manifest().input().elementCount()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) RANDOM.nextGaussian();
    }
    return x;
  }

  @Test
  void continuingFromAnExitsCopiedFeaturesEqualsRunningEveryStage() {
    int last = bundle.manifest().stages().size() - 1;
    for (int exit = 0; exit < last; exit++) {
      for (int trial = 0; trial < 4; trial++) {
        float[] x = randomInput();
        Classification early = executor.classify(x, ExitPolicy.exitAt(exit));
        assertEquals(exit, early.exitStage());
        float[] features = new float[executor.featureSize(exit)];
        executor.copyFeatures(exit, features);
        // Another frame in between: the copy, not the executor's tensors, carries the state.
        executor.classify(randomInput(), ExitPolicy.neverExit());
        Classification resumed = executor.continueFrom(exit, features);
        Classification full = executor.classify(x, ExitPolicy.neverExit());
        assertArrayEquals(full.probs(), resumed.probs(), 1e-6f);
        assertEquals(full.classId(), resumed.classId());
        assertEquals(last, resumed.exitStage());
        assertEquals(last - exit, resumed.stagesRun());
        assertEquals(
            executor.macsThrough(last + 1) - executor.macsThrough(exit + 1), resumed.macs());
      }
    }
  }

  @Test
  void wrongFeatureSizesAndStagesAreRefusedWithWhatWasExpected() {
    int last = bundle.manifest().stages().size() - 1;
    assertEquals(0, executor.featureSize(last));
    var e =
        assertThrows(IllegalArgumentException.class, () -> executor.continueFrom(0, new float[3]));
    assertTrue(e.getMessage().contains("expected " + executor.featureSize(0)), e.getMessage());
    var s =
        assertThrows(
            IllegalArgumentException.class, () -> executor.continueFrom(last, new float[1]));
    assertTrue(s.getMessage().contains("found " + last), s.getMessage());
  }

  @Test
  void aWithholdingPolicyRunsOnPastTheWithheldClassOnly() {
    float[] x = randomInput();
    Classification atZero = executor.classify(x, ExitPolicy.exitAt(0));
    int cls = atZero.classId();
    int classes = bundle.manifest().classes().size();
    boolean[][] withheld = new boolean[1][classes];
    withheld[0][cls] = true;
    ExitPolicy tightened = ExitPolicy.withholding(ExitPolicy.exitAt(0), withheld);
    assertFalse(tightened.stopsAt(0, atZero.probs()));
    assertTrue(executor.classify(x, tightened).exitStage() > 0);
    boolean[][] other = new boolean[1][classes];
    other[0][(cls + 1) % classes] = true;
    assertEquals(
        0, executor.classify(x, ExitPolicy.withholding(ExitPolicy.exitAt(0), other)).exitStage());
  }
}
