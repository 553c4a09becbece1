package dev.offramp.cascade.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbabilitiesTest {
  static Stream<Arguments> vectors() {
    float nan = Float.NaN;
    return Stream.of(
        Arguments.of("softmax output", new float[] {0.7f, 0.2f, 0.1f}, true),
        Arguments.of("one-hot", new float[] {0f, 1f, 0f}, true),
        Arguments.of("float16 rounding", new float[] {0.333f, 0.333f, 0.333f}, true),
        Arguments.of("NaN", new float[] {nan, 0.5f, 0.5f}, false),
        Arguments.of("infinity", new float[] {Float.POSITIVE_INFINITY, 0f, 0f}, false),
        Arguments.of("negative", new float[] {-5f, 3f, 3f}, false),
        Arguments.of("above one", new float[] {7f, 0f, 0f}, false),
        Arguments.of("logits, not normalised", new float[] {0.5f, 0.5f, 0.5f}, false),
        Arguments.of("all zero", new float[] {0f, 0f, 0f}, false),
        Arguments.of("empty", new float[0], false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void acceptsOnlyFiniteEntriesInUnitRangeSummingToOne(String what, float[] p, boolean valid) {
    assertEquals(valid, Probabilities.valid(p));
  }
}
