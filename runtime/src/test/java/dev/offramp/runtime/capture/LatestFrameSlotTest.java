package dev.offramp.runtime.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LatestFrameSlotTest {
  final FrameFormat format = new FrameFormat(2, 2, ColorMode.GRAY);

  @Test
  void overwrittenFramesAreCountedAndTheNewestIsTaken() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    for (int i = 1; i <= 3; i++) {
      slot.publish(new byte[] {(byte) i, 0, 0, 0}, i, i, i, false);
    }
    CapturedFrame f = new CapturedFrame(format);
    assertTrue(slot.take(f, 10));
    assertEquals(3, f.pixels()[0]);
    assertEquals(3, f.frameIndex());
    assertEquals(2, f.droppedBefore());
    assertEquals(2, slot.droppedTotal());
    assertFalse(slot.take(f, 10), "nothing new");
  }

  @Test
  void waitingPublisherBlocksUntilTheFrameIsTaken() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    slot.publish(new byte[4], 1, 1, 0, true);
    Thread second =
        new Thread(
            () -> {
              try {
                slot.publish(new byte[] {9, 9, 9, 9}, 2, 2, 1, true);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    second.start();
    second.join(200);
    assertTrue(second.isAlive(), "publisher waits for the consumer");
    CapturedFrame f = new CapturedFrame(format);
    assertTrue(slot.take(f, 10));
    second.join(2_000);
    assertTrue(slot.take(f, 1_000));
    assertEquals(9, f.pixels()[0]);
    assertEquals(0, slot.droppedTotal());
  }

  @Test
  void endedSlotIsDrainedAfterItsLastFrameAndCarriesTheError() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    slot.publish(new byte[4], 1, 1, 0, false);
    slot.end(Optional.of("decoder failed"));
    assertFalse(slot.drained());
    assertTrue(slot.take(new CapturedFrame(format), 10));
    assertTrue(slot.drained());
    assertEquals("decoder failed", slot.endError().orElseThrow());
    assertFalse(slot.publish(new byte[4], 2, 2, 1, false));
  }

  @Test
  void liveFrameKeepsTheTimeItWasReadWhileItWaitsInTheSlot() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    slot.publish(new byte[4], 1_234, 5_678, 0, false);
    CapturedFrame f = new CapturedFrame(format);
    assertTrue(slot.take(f, 10));
    assertEquals(1_234, f.captureEpochMs());
    assertEquals(5_678, f.captureNanos());
  }

  @Test
  void fileFrameIsStampedWhenTakenNotWhenDecodedAhead() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    slot.publish(new byte[4], 1_234, 5_678, 0, true);
    long beforeMs = System.currentTimeMillis();
    long beforeNanos = System.nanoTime();
    CapturedFrame f = new CapturedFrame(format);
    assertTrue(slot.take(f, 10));
    long afterNanos = System.nanoTime();
    assertTrue(f.captureEpochMs() >= beforeMs, "epoch stamp " + f.captureEpochMs());
    assertTrue(
        f.captureNanos() >= beforeNanos && f.captureNanos() <= afterNanos,
        "stamped during take: " + f.captureNanos());
  }

  @Test
  void frameOfTheWrongSizeIsRefused() {
    LatestFrameSlot slot = new LatestFrameSlot(format);
    assertThrows(IllegalArgumentException.class, () -> slot.publish(new byte[5], 1, 1, 0, false));
  }
}
