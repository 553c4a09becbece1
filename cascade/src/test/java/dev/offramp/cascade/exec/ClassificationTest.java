package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {
  @Test
  void arraysGivenOrHandedOutCannotChangeTheAnswer() {
    long[] nanos = {10, 20};
    float[] probs = {0.25f, 0.75f};
    Classification c = new Classification(1, 0.75f, 1, 2, nanos, 99, probs, List.of("cpu"));
    nanos[0] = -1;
    probs[1] = 0f;
    c.stageNanos()[1] = -1;
    c.probs()[0] = 1f;
    assertArrayEquals(new long[] {10, 20}, c.stageNanos());
    assertArrayEquals(new float[] {0.25f, 0.75f}, c.probs());
    assertEquals(30, c.inferenceNanos());
    assertEquals(
        "Classification[classId=1, confidence=0.75, exitStage=1, stagesRun=2, stageNanos=[10, 20],"
            + " macs=99, probs=[0.25, 0.75], providers=[cpu]]",
        c.toString());
  }

  @Test
  void argmaxReadsNanAsZero() {
    assertEquals(2, Classification.argmaxNanAsZero(new float[] {Float.NaN, 0.1f, 0.2f}));
  }
}
