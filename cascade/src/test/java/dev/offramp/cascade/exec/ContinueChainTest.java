package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.OpenedTestBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Continuing a chain from copied features gives the full backbone's answer (the live audit). */
class ContinueChainTest {
  @RegisterExtension static final OpenedTestBundle CASCADE = new OpenedTestBundle();

  @Test
  void continuingFromAnExitsCopiedFeaturesEqualsRunningEveryStage() {
    int last = CASCADE.bundle().manifest().stages().size() - 1;
    for (int exit = 0; exit < last; exit++) {
      for (int trial = 0; trial < 4; trial++) {
        float[] x = CASCADE.randomInput();
        Classification early = CASCADE.executor().classify(x, ExitPolicy.exitAt(exit));
        assertEquals(exit, early.exitStage());
        float[] features = new float[CASCADE.executor().featureSize(exit)];
        CASCADE.executor().copyFeatures(exit, features);
        // Another frame in between: the copy, not the executor's tensors, carries the state.
        CASCADE.executor().classify(CASCADE.randomInput(), ExitPolicy.neverExit());
        Classification resumed = CASCADE.executor().continueFrom(exit, features);
        Classification full = CASCADE.executor().classify(x, ExitPolicy.neverExit());
        assertArrayEquals(full.probs(), resumed.probs(), 1e-6f);
        assertEquals(full.classId(), resumed.classId());
        assertEquals(last, resumed.exitStage());
        assertEquals(last - exit, resumed.stagesRun());
        assertEquals(
            CASCADE.executor().macsThrough(last + 1) - CASCADE.executor().macsThrough(exit + 1),
            resumed.macs());
      }
    }
  }

  @Test
  void wrongFeatureSizesAndStagesAreRefusedWithWhatWasExpected() {
    int last = CASCADE.bundle().manifest().stages().size() - 1;
    assertEquals(0, CASCADE.executor().featureSize(last));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> CASCADE.executor().continueFrom(0, new float[3]));
    assertTrue(
        e.getMessage().contains("expected " + CASCADE.executor().featureSize(0)), e.getMessage());
    var s =
        assertThrows(
            IllegalArgumentException.class,
            () -> CASCADE.executor().continueFrom(last, new float[1]));
    assertTrue(s.getMessage().contains("found " + last), s.getMessage());
  }

  @Test
  void aWithholdingPolicyRunsOnPastTheWithheldClassOnly() {
    float[] x = CASCADE.randomInput();
    Classification atZero = CASCADE.executor().classify(x, ExitPolicy.exitAt(0));
    int cls = atZero.classId();
    int classes = CASCADE.bundle().manifest().classes().size();
    boolean[][] withheld = new boolean[1][classes];
    withheld[0][cls] = true;
    ExitPolicy tightened = ExitPolicy.withholding(ExitPolicy.exitAt(0), withheld);
    assertFalse(tightened.stopsAt(0, atZero.probs()));
    assertTrue(CASCADE.executor().classify(x, tightened).exitStage() > 0);
    boolean[][] other = new boolean[1][classes];
    other[0][(cls + 1) % classes] = true;
    assertEquals(
        0,
        CASCADE
            .executor()
            .classify(x, ExitPolicy.withholding(ExitPolicy.exitAt(0), other))
            .exitStage());
  }
}
