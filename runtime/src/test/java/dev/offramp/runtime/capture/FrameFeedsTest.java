package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One consumer over several cameras' slots: fair, paced per camera, woken by any of them. */
class FrameFeedsTest {
  private static final FrameFormat FORMAT = new FrameFormat(2, 2, ColorMode.GRAY);

  private static LatestFrameSlot slot() {
    return new LatestFrameSlot(FORMAT);
  }

  private static byte[] px(int v) {
    return new byte[] {(byte) v, (byte) v, (byte) v, (byte) v};
  }

  private static FrameFeeds feeds(LatestFrameSlot... slots) {
    List<FrameFeeds.Feed> f = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      f.add(new FrameFeeds.Feed("c" + i, slots[i], 0));
    }
    return new FrameFeeds(f);
  }

  @Test
  void oneTakeGathersTheFrameOfEveryCameraThatHasOne() throws Exception {
    LatestFrameSlot a = slot();
    LatestFrameSlot b = slot();
    LatestFrameSlot c = slot();
    FrameFeeds feeds = feeds(a, b, c);
    a.publish(px(1), 1, 1, 0, false);
    c.publish(px(3), 1, 1, 0, false);
    assertEquals(2, feeds.take(0));
    List<String> cameras = List.of(feeds.camera(0), feeds.camera(1));
    assertEquals(List.of("c0", "c2"), cameras.stream().sorted().toList());
    for (int i = 0; i < 2; i++) {
      int expected = feeds.camera(i).equals("c0") ? 1 : 3;
      assertEquals(expected, feeds.frame(i).pixels()[0]);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> feeds.frame(2));
    assertEquals(0, feeds.take(0));
  }

  @Test
  void aFloodingCameraDoesNotStarveAnotherAndTheFirstTurnRotates() throws Exception {
    LatestFrameSlot flood = slot();
    LatestFrameSlot quiet = slot();
    FrameFeeds feeds = feeds(flood, quiet);
    List<Long> quietIndices = new ArrayList<>();
    List<String> firsts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      for (int k = 0; k < 5; k++) {
        flood.publish(px(1), 1, 1, i * 5L + k, false);
      }
      quiet.publish(px(2), 1, 1, i, false);
      assertEquals(2, feeds.take(0));
      firsts.add(feeds.camera(0));
      for (int j = 0; j < 2; j++) {
        if (feeds.camera(j).equals("c1")) {
          quietIndices.add(feeds.frame(j).frameIndex());
        }
      }
    }
    assertEquals(java.util.stream.LongStream.range(0, 50).boxed().toList(), quietIndices);
    assertEquals(0, quiet.droppedTotal());
    assertEquals(200, flood.droppedTotal());
    for (int i = 1; i < firsts.size(); i++) {
      assertTrue(!firsts.get(i).equals(firsts.get(i - 1)), "first turns " + firsts);
    }
  }

  @Test
  void aFrameOnAnyCameraWakesTheWaitAndAllEndedEndsIt() throws Exception {
    LatestFrameSlot a = slot();
    LatestFrameSlot b = slot();
    FrameFeeds feeds = feeds(a, b);
    assertEquals(0, feeds.take(20));
    Thread late =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
                b.publish(px(7), 1, 1, 0, false);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    late.start();
    assertEquals(1, feeds.take(10_000));
    assertEquals("c1", feeds.camera(0));
    late.join();
    a.end(Optional.empty());
    assertFalse(feeds.drained());
    b.end(Optional.of("broken"));
    assertEquals(0, feeds.take(10_000));
    assertTrue(feeds.drained());
    assertEquals(Optional.of("c1: broken"), feeds.endError());
  }

  @Test
  void eachCameraKeepsItsOwnPace() throws Exception {
    LatestFrameSlot paced = slot();
    LatestFrameSlot free = slot();
    FrameFeeds feeds =
        new FrameFeeds(
            List.of(new FrameFeeds.Feed("paced", paced, 10), new FrameFeeds.Feed("free", free, 0)));
    int pacedTaken = 0;
    int freeTaken = 0;
    long end = System.nanoTime() + 250_000_000L;
    while (System.nanoTime() < end) {
      paced.publish(px(1), 1, 1, 0, false);
      free.publish(px(2), 1, 1, 0, false);
      int n = feeds.take(100);
      for (int i = 0; i < n; i++) {
        if (feeds.camera(i).equals("paced")) {
          pacedTaken++;
        } else {
          freeTaken++;
        }
      }
    }
    // 10 fps over 250 ms: the first frame at once, then one per 100 ms.
    assertTrue(pacedTaken >= 1 && pacedTaken <= 3, "paced " + pacedTaken);
    assertTrue(freeTaken > pacedTaken, "free " + freeTaken + ", paced " + pacedTaken);
  }

  @Test
  void camerasMustBeNamedOnceAndShareOneFormat() {
    LatestFrameSlot a = slot();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FrameFeeds(
                List.of(new FrameFeeds.Feed("x", a, 0), new FrameFeeds.Feed("x", slot(), 0))));
    LatestFrameSlot other = new LatestFrameSlot(new FrameFormat(3, 2, ColorMode.GRAY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new FrameFeeds(
                    List.of(new FrameFeeds.Feed("x", a, 0), new FrameFeeds.Feed("y", other, 0))));
    assertTrue(e.getMessage().startsWith("camera y: frames of"), e.getMessage());
  }
}
