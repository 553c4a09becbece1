package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.testing.BadImages;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection at the frame source: real hostile files in a directory and a real FFmpeg pipe of
 * frames over the pixel limit. Bad frames are skipped and counted by reason, never fatal; a source
 * of nothing but bad frames reports {@code error} and is retried.
 */
class BadFramesTest {
  static final FrameFormat GRAY28 = CaptureTest.GRAY28;

  @TempDir Path tmp;

  private static SourceSettings fastRetry(SourceSpec spec, long maxPixels) {
    SourceSettings d = SourceSettings.of(spec);
    return new SourceSettings(
        spec,
        "cam0",
        false,
        0,
        d.openTimeoutMs(),
        d.readTimeoutMs(),
        50,
        200,
        SourceSettings.PipeFormat.MJPEG,
        0,
        0,
        "bgr24",
        0,
        0,
        0,
        "",
        maxPixels);
  }

  @Test
  void directoryOfGoodAndBadFilesDeliversTheGoodInOrderAndCountsTheRest() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frames"));
    List<byte[]> good = Media.grayImages(3, 28, 28);
    Media.writePgm(dir.resolve("a0.pgm"), good.get(0), 28, 28);
    BadImages.empty(dir.resolve("a1.png"));
    Media.writePgm(dir.resolve("a2.pgm"), good.get(1), 28, 28);
    BadImages.text(dir.resolve("a3.jpg"));
    BadImages.bombPng(dir.resolve("a4.png"), 32_000, 32_000);
    BadImages.truncatedPng(dir.resolve("a5.png"), 60_000, 60_000);
    BadImages.truncatedPng(dir.resolve("a6.png"), 10, 10);
    Media.writePgm(dir.resolve("a7.pgm"), good.get(2), 28, 28);

    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    List<CaptureState> states = new CopyOnWriteArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    List<Long> indices = new ArrayList<>();
    try (Capture capture =
        new Capture(
            SourceSettings.of(SourceSpec.parse(dir.toString())), slot, (c, s) -> states.add(s))) {
      capture.start();
      CapturedFrame f = new CapturedFrame(GRAY28);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!slot.drained() && System.nanoTime() < deadline) {
        if (slot.take(f, 100)) {
          frames.add(f.pixels().clone());
          indices.add(f.frameIndex());
        }
      }
    }
    assertEquals(3, frames.size(), () -> "ended with " + slot.endError());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(good.get(i), frames.get(i), "good frame " + i);
    }
    assertEquals(List.of(0L, 2L, 7L), indices, "indices are positions in the directory");
    assertEquals(
        Map.of("undecodable", 3L, "too_large", 2L, "unreadable", 0L), slot.skipped().snapshot());
    assertTrue(slot.endError().isEmpty(), "a bad file is not a failed source");
    CaptureState last = states.get(states.size() - 1);
    assertEquals(CaptureState.State.OFFLINE, last.state());
    assertEquals("end of stream", last.error().orElseThrow());
  }

  @Test
  void directoryOfOnlyBadFilesReportsErrorAndIsRetriedUntilAGoodFileAppears() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frames"));
    BadImages.empty(dir.resolve("a.png"));
    BadImages.text(dir.resolve("b.jpg"));
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    List<CaptureState> states = new CopyOnWriteArrayList<>();
    try (Capture capture =
        new Capture(
            fastRetry(SourceSpec.parse(dir.toString()), SourceSettings.DEFAULT_MAX_PIXELS),
            slot,
            (c, s) -> states.add(s))) {
      capture.start();
      await(() -> slot.skipped().total() >= 6, "three passes over the two bad files");
      CaptureState error = capture.state();
      assertEquals(CaptureState.State.ERROR, error.state());
      assertTrue(
          error.error().orElseThrow().startsWith("every one of 2 frames of " + dir),
          error.error().orElseThrow());
      assertFalse(slot.drained(), "an all-bad directory does not end the run");

      byte[] px = Media.grayImages(1, 28, 28).get(0);
      Media.writePgm(dir.resolve("c.pgm"), px, 28, 28);
      CapturedFrame f = new CapturedFrame(GRAY28);
      assertTrue(slot.take(f, 10_000), "the good file is found on a retry");
      assertArrayEquals(px, f.pixels());
      await(() -> capture.state().state() != CaptureState.State.ERROR, "state leaves error");
    }
    List<CaptureState.State> seen = states.stream().map(CaptureState::state).toList();
    int error = seen.indexOf(CaptureState.State.ERROR);
    assertTrue(error > 0 && seen.lastIndexOf(CaptureState.State.ONLINE) > error, seen.toString());
  }

  @Test
  void liveSourceOfOversizedFramesReportsErrorAndIsRetriedWithoutDecodingAFrame() throws Exception {
    // 64×48 = 3072 pixels against a limit of 1000: FFmpeg refuses to decode the pipe's frames.
    SourceSpec pipe =
        SourceSpec.parse(
            "pipe:ffmpeg -loglevel error -f lavfi -i testsrc=size=64x48:rate=200 -frames:v 400"
                + " -f mjpeg -");
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    List<CaptureState> states = new CopyOnWriteArrayList<>();
    try (Capture capture = new Capture(fastRetry(pipe, 1000), slot, (c, s) -> states.add(s))) {
      capture.start();
      await(
          () -> states.stream().filter(s -> s.state() == CaptureState.State.ERROR).count() >= 3,
          "three failed attempts, each reported as error");
      CapturedFrame f = new CapturedFrame(GRAY28);
      assertFalse(slot.take(f, 200), "no oversized frame reaches the slot");
      assertFalse(slot.drained(), "the run goes on");
    }
    CaptureState error =
        states.stream().filter(s -> s.state() == CaptureState.State.ERROR).findFirst().get();
    assertTrue(
        error.error().orElseThrow().contains("more than source.max-pixels (1000) pixels"),
        error.toString());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertFalse(System.nanoTime() > deadline, "timed out waiting for: " + what);
      Thread.sleep(10);
    }
  }
}
