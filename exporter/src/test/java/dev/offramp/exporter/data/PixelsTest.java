package dev.offramp.exporter.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The resize the exporter gives training and calibration images (the runtime's parity test). */
class PixelsTest {
  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void shrinkingByAWholeFactorAveragesEachBlock() {
    byte[] src =
        bytes(
            0, 10, 200, 202, //
            20, 30, 204, 206, //
            255, 255, 1, 2, //
            255, 251, 3, 5);
    assertArrayEquals(bytes(15, 203, 254, 3), Pixels.shrink(src, 4, 4, 1, 2, 2));
  }

  @Test
  void shrinkingByAFractionWeighsThePixelsByHowMuchOfEachIsCovered() {
    // Three pixels into two: the first covers 1 + 1/2 source pixels, the second 1/2 + 1.
    byte[] out = Pixels.shrink(bytes(30, 90, 150), 3, 1, 1, 2, 1);
    assertEquals(Math.round((30 + 0.5 * 90) / 1.5), out[0] & 0xff);
    assertEquals(Math.round((0.5 * 90 + 150) / 1.5), out[1] & 0xff);
  }

  @Test
  void aFlatImageStaysFlatAndEveryChannelIsItsOwnAtAnyRatio() {
    int w = 97;
    int h = 83;
    byte[] src = new byte[w * h * 3];
    for (int p = 0; p < w * h; p++) {
      src[3 * p] = (byte) 17;
      src[3 * p + 1] = (byte) 128;
      src[3 * p + 2] = (byte) 250;
    }
    byte[] out = Pixels.shrink(src, w, h, 3, 28, 28);
    for (int p = 0; p < 28 * 28; p++) {
      assertEquals(17, out[3 * p] & 0xff);
      assertEquals(128, out[3 * p + 1] & 0xff);
      assertEquals(250, out[3 * p + 2] & 0xff);
    }
  }

  @Test
  void theAreaMeanIsKeptWhereBilinearSamplingWouldAlias() {
    // Stripes of period 4 (three bright columns, one dark) shrunk 4×: averaging keeps their mean,
    // sampling between two bright columns does not see the dark one.
    int w = 112;
    byte[] src = new byte[w * w];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        src[y * w + x] = (byte) (x % 4 == 3 ? 16 : 240);
      }
    }
    byte[] area = Pixels.shrink(src, w, w, 1, 28, 28);
    byte[] bilinear = Pixels.resize(src, w, w, 1, 28, 28);
    for (int p = 0; p < 28 * 28; p++) {
      assertEquals((3 * 240 + 16) / 4, area[p] & 0xff);
      assertEquals(240, bilinear[p] & 0xff);
    }
  }
}
