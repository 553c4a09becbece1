package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
  static final FrameFormat GRAY28 = new FrameFormat(28, 28, ColorMode.GRAY);

  @TempDir Path tmp;

  private static List<byte[]> drain(LatestFrameSlot slot, int max) throws InterruptedException {
    List<byte[]> out = new ArrayList<>();
    CapturedFrame f = new CapturedFrame(slot.format());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (out.size() < max && System.nanoTime() < deadline) {
      if (slot.take(f, 100)) {
        out.add(f.pixels().clone());
        assertEquals(out.size() - 1, f.frameIndex() % Integer.MAX_VALUE, "frame index");
        assertEquals(0, f.droppedBefore(), "a file source never drops");
      } else if (slot.drained()) {
        break;
      }
    }
    return out;
  }

  @Test
  void videoFileDeliversEveryFrameAsFfmpegDecodesItThenEnds() throws Exception {
    Path video = Media.mp4(tmp, Media.grayImages(12, 28, 28), 28, 28, 10);
    List<byte[]> expected = Media.decodeGray(video, 28, 28);
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    List<CaptureState> states = new CopyOnWriteArrayList<>();
    try (Capture capture =
        new Capture(
            SourceSettings.of(SourceSpec.parse(video.toString())), slot, (c, s) -> states.add(s))) {
      capture.start();
      List<byte[]> frames = drain(slot, 100);
      assertEquals(12, frames.size(), () -> "ended with " + slot.endError());
      for (int i = 0; i < frames.size(); i++) {
        assertArrayEquals(expected.get(i), frames.get(i), "frame " + i);
      }
      assertTrue(slot.drained());
      assertTrue(slot.endError().isEmpty());
      assertEquals(CaptureState.State.ONLINE, states.get(0).state());
      assertEquals(CaptureState.State.OFFLINE, states.get(states.size() - 1).state());
      assertEquals("end of stream", states.get(states.size() - 1).error().orElseThrow());
    }
  }

  @Test
  void loopingVideoStartsAgainAtFrameZero() throws Exception {
    Path video = Media.mp4(tmp, Media.grayImages(3, 28, 28), 28, 28, 10);
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    SourceSettings settings =
        SourceSettings.of(SourceSpec.parse(video.toString())).withPacing(true, 0);
    try (Capture capture = new Capture(settings, slot, (c, s) -> {})) {
      capture.start();
      CapturedFrame f = new CapturedFrame(GRAY28);
      List<Long> indices = new ArrayList<>();
      while (indices.size() < 8) {
        assertTrue(slot.take(f, 5_000), () -> "ended with " + slot.endError());
        indices.add(f.frameIndex());
      }
      assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L), indices);
    }
  }

  @Test
  void imageDirectoryIsReadInNameOrderAndResizedToTheModel() throws Exception {
    List<byte[]> images = Media.grayImages(3, 56, 56);
    for (int i = 0; i < 3; i++) {
      Media.writePgm(tmp.resolve("img-" + (2 - i) + ".pgm"), images.get(i), 56, 56);
    }
    Files.writeString(tmp.resolve("notes.txt"), "not an image");
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    try (Capture capture =
        new Capture(SourceSettings.of(SourceSpec.parse(tmp.toString())), slot, (c, s) -> {})) {
      capture.start();
      List<byte[]> frames = drain(slot, 10);
      assertEquals(3, frames.size());
      // img-0 is the last image written; a flat 2x2 area shrinks to its mean under INTER_AREA.
      byte[] first = frames.get(0);
      byte[] source = images.get(2);
      int mean =
          ((source[0] & 0xFF) + (source[1] & 0xFF) + (source[56] & 0xFF) + (source[57] & 0xFF) + 2)
              / 4;
      assertTrue(
          Math.abs((first[0] & 0xFF) - mean) <= 1,
          "top-left pixel " + (first[0] & 0xFF) + " vs " + mean);
    }
  }

  @Test
  void rawPipeFramesAreConvertedToTheModelsChannelOrder() throws Exception {
    SourceSettings base =
        SourceSettings.of(
            SourceSpec.parse(
                "pipe:ffmpeg -loglevel error -f lavfi -i color=c=red:size=64x48:rate=30 -frames:v 50"
                    + " -f rawvideo -pix_fmt bgr24 -"));
    SourceSettings settings =
        new SourceSettings(
            base.spec(),
            "cam0",
            false,
            0,
            2_000,
            2_000,
            50,
            200,
            SourceSettings.PipeFormat.RAW,
            64,
            48,
            "bgr24",
            0,
            0,
            0,
            "",
            SourceSettings.DEFAULT_MAX_PIXELS);
    FrameFormat rgb = new FrameFormat(16, 16, ColorMode.RGB);
    LatestFrameSlot slot = new LatestFrameSlot(rgb);
    try (Capture capture = new Capture(settings, slot, (c, s) -> {})) {
      capture.start();
      CapturedFrame f = new CapturedFrame(rgb);
      assertTrue(slot.take(f, 10_000), "a frame from the pipe");
      byte[] px = f.pixels();
      assertTrue(
          (px[0] & 0xFF) > 200 && (px[1] & 0xFF) < 40 && (px[2] & 0xFF) < 40,
          "red first in RGB: " + (px[0] & 0xFF) + "," + (px[1] & 0xFF) + "," + (px[2] & 0xFF));
    }
  }

  @Test
  void mjpegPipeDeliversFrames() throws Exception {
    SourceSettings settings =
        SourceSettings.of(
            SourceSpec.parse(
                "pipe:ffmpeg -loglevel error -f lavfi -i testsrc=size=64x48:rate=30 -frames:v 30"
                    + " -f mjpeg -"));
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    try (Capture capture = new Capture(settings, slot, (c, s) -> {})) {
      capture.start();
      CapturedFrame f = new CapturedFrame(GRAY28);
      assertTrue(slot.take(f, 10_000));
      assertTrue(slot.take(f, 10_000));
    }
  }

  @Test
  void missingCameraNamesTheDeviceAndWhatToCheck() {
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    Capture capture =
        new Capture(SourceSettings.of(SourceSpec.parse("/dev/video97")), slot, (c, s) -> {});
    CaptureException e = assertThrows(CaptureException.class, capture::start);
    assertTrue(e.getMessage().contains("/dev/video97"), e.getMessage());
    assertTrue(e.getMessage().contains("v4l2-ctl --list-devices"), e.getMessage());
    capture.close();
  }

  @Test
  void httpMjpegStreamReconnectsAfterTheServerComesBack() throws Exception {
    int port = Media.freePort();
    String url = "http://127.0.0.1:" + port + "/stream";
    SourceSettings base = SourceSettings.of(SourceSpec.parse(url));
    SourceSettings settings =
        new SourceSettings(
            base.spec(),
            "cam0",
            false,
            0,
            2_000,
            2_000,
            100,
            400,
            SourceSettings.PipeFormat.MJPEG,
            0,
            0,
            "bgr24",
            0,
            0,
            0,
            "",
            SourceSettings.DEFAULT_MAX_PIXELS);
    List<CaptureState.State> states = Collections.synchronizedList(new ArrayList<>());
    LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    Process server = Media.serveMjpeg(url, 112);
    try (Capture capture = new Capture(settings, slot, (c, s) -> states.add(s.state()))) {
      capture.start();
      CapturedFrame f = new CapturedFrame(GRAY28);
      assertTrue(slot.take(f, 15_000), "frames before the outage");
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
      awaitState(states, CaptureState.State.RECONNECTING);
      server = Media.serveMjpeg(url, 112);
      long before = f.frameIndex();
      assertTrue(slot.take(f, 15_000), "frames after the outage");
      assertTrue(slot.take(f, 15_000));
      assertTrue(f.frameIndex() > before);
      List<CaptureState.State> seen = List.copyOf(states);
      int offline = seen.indexOf(CaptureState.State.OFFLINE);
      int reconnecting = seen.indexOf(CaptureState.State.RECONNECTING);
      int online = seen.lastIndexOf(CaptureState.State.ONLINE);
      int firstOnline = seen.indexOf(CaptureState.State.ONLINE);
      offline =
          seen.subList(firstOnline, seen.size()).indexOf(CaptureState.State.OFFLINE) + firstOnline;
      reconnecting =
          seen.subList(offline, seen.size()).indexOf(CaptureState.State.RECONNECTING) + offline;
      assertTrue(
          firstOnline < offline && offline < reconnecting && reconnecting < online,
          seen.toString());
      assertEquals(CaptureState.State.ONLINE, capture.state().state());
    } finally {
      server.destroyForcibly();
    }
  }

  private static void awaitState(List<CaptureState.State> states, CaptureState.State wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!states.contains(wanted)) {
      assertFalse(System.nanoTime() > deadline, "no " + wanted + " in " + states);
      Thread.sleep(20);
    }
  }
}
