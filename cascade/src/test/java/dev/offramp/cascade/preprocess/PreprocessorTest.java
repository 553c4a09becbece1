package dev.offramp.cascade.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.InputSpec;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
  @Test
  void normalisesInterleavedPixelsIntoPlanarChannels() {
    InputSpec spec =
        new InputSpec(
            "x",
            new long[] {1, 3, 1, 2},
            ColorMode.RGB,
            1.0 / 255,
            new double[] {0.5, 0.0, 1.0},
            new double[] {0.5, 1.0, 2.0});
    // Two pixels: (255, 0, 51) and (0, 255, 255).
    byte[] hwc = {(byte) 255, 0, 51, 0, (byte) 255, (byte) 255};
    float[] out = new float[6];
    new Preprocessor(spec).fill(hwc, out, 0);
    float[] expected = {
      (1f - 0.5f) / 0.5f,
      (0f - 0.5f) / 0.5f, // channel 0
      0f,
      1f, // channel 1
      (0.2f - 1f) / 2f,
      (1f - 1f) / 2f // channel 2
    };
    assertArrayEquals(expected, out, 1e-6f);
  }

  @Test
  void rejectsPixelsOfTheWrongSizeNamingBothCounts() {
    InputSpec spec =
        new InputSpec(
            "x", new long[] {1, 1, 4, 4}, ColorMode.GRAY, 1.0, new double[] {0}, new double[] {1});
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Preprocessor(spec).fill(new byte[15], new float[16], 0));
    assertTrue(e.getMessage().contains("expected 16 pixel bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("found 15"), e.getMessage());
  }
}
