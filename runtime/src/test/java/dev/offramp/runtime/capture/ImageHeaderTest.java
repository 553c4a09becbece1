package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.testing.BadImages;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Header sizes of real files written by ffmpeg, and refusals of files that are not images. */
class ImageHeaderTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"png", "jpg", "bmp", "tiff", "webp", "pgm", "ppm"})
  void readsTheDeclaredSizeOfEveryDirectoryFormat(String ext) throws Exception {
    byte[] gray = Media.grayImages(1, 37, 23).get(0);
    Path file = BadImages.convert(tmp.resolve("image." + ext), gray, 37, 23);
    ImageHeader.Size size = ImageHeader.read(file);
    assertEquals(37, size.width());
    assertEquals(23, size.height());
  }

  @Test
  void readsABombsSizeWithoutDecodingIt() throws Exception {
    Path bomb = BadImages.bombPng(tmp.resolve("bomb.png"), 32_000, 32_000);
    assertTrue(Files.size(bomb) < 200_000, "a bomb is small on disk: " + Files.size(bomb));
    long before = usedHeap();
    ImageHeader.Size size = ImageHeader.read(bomb);
    assertEquals(1_024_000_000L, size.pixels());
    assertTrue(usedHeap() - before < 64L << 20, "reading the header allocated no pixels");
  }

  @Test
  void refusesAnEmptyFileAsUndecodable() throws Exception {
    FrameSkippedException e =
        assertThrows(
            FrameSkippedException.class,
            () -> ImageHeader.read(BadImages.empty(tmp.resolve("empty.png"))));
    assertEquals(SkippedFrames.Reason.UNDECODABLE, e.reason());
    assertTrue(e.getMessage().contains("the file is empty"), e.getMessage());
  }

  @Test
  void refusesTextNamedJpgAsUndecodable() throws Exception {
    FrameSkippedException e =
        assertThrows(
            FrameSkippedException.class,
            () -> ImageHeader.read(BadImages.text(tmp.resolve("notes.jpg"))));
    assertEquals(SkippedFrames.Reason.UNDECODABLE, e.reason());
    assertTrue(e.getMessage().contains("expected PNG, JPEG"), e.getMessage());
  }

  @Test
  void refusesAFileThatVanishedAsUnreadable() {
    FrameSkippedException e =
        assertThrows(FrameSkippedException.class, () -> ImageHeader.read(tmp.resolve("gone.png")));
    assertEquals(SkippedFrames.Reason.UNREADABLE, e.reason());
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
