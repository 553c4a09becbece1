package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ImageFitterTest {
  /** A picture whose pixel (x, y), channel c is {@code value(x, y, c)}, rows padded to stride. */
  private interface Pixels {
    int value(int x, int y, int c);
  }

  private static Picture picture(int w, int h, int channels, int stride, Pixels p) {
    ByteBuffer b = ByteBuffer.allocateDirect(stride * h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < channels; c++) {
          b.put(y * stride + x * channels + c, (byte) p.value(x, y, c));
        }
      }
      for (int pad = w * channels; pad < stride; pad++) {
        b.put(y * stride + pad, (byte) 0xEE); // padding must never reach the frame
      }
    }
    return new Picture(b, w, h, stride, channels);
  }

  private static byte[] fit(Picture p, FrameFormat f) {
    byte[] out = new byte[f.bytes()];
    try (ImageFitter fitter = new ImageFitter(f)) {
      fitter.fit(p, out);
    }
    return out;
  }

  @Test
  void aPictureAlreadyInTheModelsFormatIsCopiedRowByRowWithoutItsPadding() {
    Picture p = picture(28, 28, 1, 64, (x, y, c) -> x + 3 * y);
    byte[] out = fit(p, new FrameFormat(28, 28, ColorMode.GRAY));
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        assertEquals(x + 3 * y, out[y * 28 + x] & 0xFF, "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void colourToGrayUsesTheLumaWeightsOfBt601AtFullRange() {
    int[][] bgr = {
      {0, 0, 0}, {255, 255, 255}, {0, 0, 255}, {0, 255, 0}, {255, 0, 0}, {40, 90, 200}
    };
    Picture p = picture(bgr.length, 1, 3, bgr.length * 3, (x, y, c) -> bgr[x][c]);
    byte[] out = fit(p, new FrameFormat(bgr.length, 1, ColorMode.GRAY));
    for (int i = 0; i < bgr.length; i++) {
      double luma = 0.114 * bgr[i][0] + 0.587 * bgr[i][1] + 0.299 * bgr[i][2];
      assertEquals(luma, out[i] & 0xFF, 1.5, "BGR " + java.util.Arrays.toString(bgr[i]));
    }
  }

  @Test
  void bgrBecomesRgbAndBgraLosesItsAlphaExactly() {
    Picture bgr = picture(5, 3, 3, 16, (x, y, c) -> 10 * x + y + 60 * c);
    byte[] rgb = fit(bgr, new FrameFormat(5, 3, ColorMode.RGB));
    Picture bgra = picture(5, 3, 4, 20, (x, y, c) -> c == 3 ? 7 : 10 * x + y + 60 * c);
    byte[] fromAlpha = fit(bgra, new FrameFormat(5, 3, ColorMode.BGR));
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        for (int c = 0; c < 3; c++) {
          int i = (y * 5 + x) * 3 + c;
          assertEquals(10 * x + y + 60 * (2 - c), rgb[i] & 0xFF, "rgb " + x + "," + y + "," + c);
          assertEquals(10 * x + y + 60 * c, fromAlpha[i] & 0xFF, "bgr " + x + "," + y + "," + c);
        }
      }
    }
  }

  @Test
  void shrinkingAveragesEachBlock() {
    // 4x4 blocks of one value each: area averaging gives that value back for every output pixel.
    Picture p = picture(112, 112, 1, 112, (x, y, c) -> 8 * (x / 4) + (y / 4));
    byte[] out = fit(p, new FrameFormat(28, 28, ColorMode.GRAY));
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        assertEquals(8 * x + y, out[y * 28 + x] & 0xFF, 1, "block " + x + "," + y);
      }
    }
    // Fine detail averages out instead of aliasing: a 1-pixel checkerboard becomes mid-gray.
    Picture checker = picture(112, 112, 1, 112, (x, y, c) -> ((x + y) & 1) * 200);
    for (byte b : fit(checker, new FrameFormat(28, 28, ColorMode.GRAY))) {
      assertEquals(100, b & 0xFF, 3);
    }
  }

  @Test
  void enlargingKeepsAUniformPictureUniform() {
    Picture p = picture(7, 7, 3, 21, (x, y, c) -> 50 + 40 * c);
    byte[] out = fit(p, new FrameFormat(28, 28, ColorMode.BGR));
    for (int i = 0; i < out.length; i++) {
      assertEquals(50 + 40 * (i % 3), out[i] & 0xFF, 1, "byte " + i);
    }
  }

  @Test
  void oneFitterServesPicturesOfChangingSizes() {
    FrameFormat f = new FrameFormat(28, 28, ColorMode.GRAY);
    try (ImageFitter fitter = new ImageFitter(f)) {
      byte[] out = new byte[f.bytes()];
      for (int size : new int[] {56, 28, 100, 14, 56}) {
        fitter.fit(picture(size, size, 3, size * 3, (x, y, c) -> 120), out);
        for (byte b : out) {
          assertEquals(120, b & 0xFF, 1, "from " + size + "x" + size);
        }
      }
    }
  }

  @Test
  void aReusedSourceBufferIsReadAfreshOnEveryFit() {
    // Sources refill one buffer frame after frame; the fitter wraps it once and must see each fill.
    ByteBuffer b = ByteBuffer.allocateDirect(56 * 56 * 3);
    Picture p = new Picture(b, 56, 56, 56 * 3, 3);
    FrameFormat f = new FrameFormat(28, 28, ColorMode.GRAY);
    try (ImageFitter fitter = new ImageFitter(f)) {
      byte[] out = new byte[f.bytes()];
      for (int value : new int[] {10, 200, 77}) {
        for (int i = 0; i < b.capacity(); i++) {
          b.put(i, (byte) value);
        }
        fitter.fit(p, out);
        for (byte o : out) {
          assertEquals(value, o & 0xFF, 1, "after filling with " + value);
        }
      }
    }
  }

  @Test
  void aBadPictureOrBufferIsRefusedWithWhatWasExpected() {
    CaptureException channels =
        assertThrows(
            CaptureException.class, () -> new Picture(ByteBuffer.allocateDirect(16), 2, 2, 4, 2));
    assertTrue(channels.getMessage().contains("expected 8-bit gray, BGR or BGRA"));
    CaptureException small =
        assertThrows(
            CaptureException.class, () -> new Picture(ByteBuffer.allocateDirect(10), 4, 4, 4, 1));
    assertTrue(small.getMessage().contains("expected a direct buffer of at least 16"));
    CaptureException stride =
        assertThrows(
            CaptureException.class, () -> new Picture(ByteBuffer.allocateDirect(64), 4, 4, 8, 3));
    assertTrue(stride.getMessage().contains("stride of at least width × channels"));
    FrameFormat f = new FrameFormat(4, 4, ColorMode.GRAY);
    try (ImageFitter fitter = new ImageFitter(f)) {
      Picture p = picture(4, 4, 1, 4, (x, y, c) -> 0);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> fitter.fit(p, new byte[15]));
      assertTrue(e.getMessage().contains("expected 16"), e.getMessage());
    }
    assertArrayEquals(new byte[16], fit(picture(4, 4, 1, 4, (x, y, c) -> 0), f));
  }
}
