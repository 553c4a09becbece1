package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a storage problem is held and cleared: a failed write needs a successful write (a full disk
 * still reads), a failed read or delete may be cleared by a read; memory holds the newest results.
 */
class HeldResultsTest {
  @Test
  void aFailedWriteIsNotClearedByReadingAndAFailedReadIs() {
    HeldResults h = new HeldResults(4, new DropCounts());
    assertFalse(h.recoversByReading(), "no problem, nothing to recover");
    h.failed("reading results.db: disk I/O error");
    assertTrue(h.recoversByReading());
    h.writeFailed("writing results.db: [SQLITE_FULL]");
    assertFalse(h.recoversByReading(), "a write failed in this spell: only a write shows it works");
    h.failed("deleting acknowledged rows: disk I/O error");
    assertFalse(h.recoversByReading(), "still: the write has not succeeded since");
    h.recovered("results.db");
    assertTrue(h.problem().isEmpty());
    h.failed("reading results.db: disk I/O error");
    assertTrue(h.recoversByReading(), "a new spell starts clean");
  }

  @Test
  void memoryKeepsTheNewestAndCountsTheRestAsStorage() {
    DropCounts drops = new DropCounts();
    HeldResults h = new HeldResults(4, drops);
    List<ResultEvent> batch = new ArrayList<>();
    for (long seq = 1; seq <= 6; seq++) {
      batch.add(Fixtures.result("cam0", seq));
    }
    h.hold(batch);
    assertEquals(4, h.deque().size());
    assertEquals(3L, h.deque().peekFirst().seq());
    assertEquals(2, drops.get(Reason.STORAGE));
  }
}
