package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The previous release's buffer directory (segments and cursor) converted at start: a bad cursor
 * never discards good records, a damaged record costs itself alone, the old files go.
 */
class LegacyBufferTest {
  static List<byte[]> payloads(int from, int to) {
    List<byte[]> p = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      p.add(ResultJson.toBytes(result("cam0", i)));
    }
    return p;
  }

  static List<Long> seqs(ResultStore store) throws Exception {
    List<Long> out = new ArrayList<>();
    for (StoredRows.Row r : store.readAfter(0, Long.MAX_VALUE, 100_000).rows()) {
      out.add(ResultJson.fromBytes(r.payload()).seq());
    }
    return out;
  }

  static ResultStore open(Path dir, DropCounts drops) {
    return ResultStore.open(dir, 64L << 20, FsyncPolicy.NEVER, drops);
  }

  static List<Long> range(long from, long to) {
    List<Long> l = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      l.add(i);
    }
    return l;
  }

  @ParameterizedTest
  @ValueSource(strings = {"999 0", "2 999999", "2 17", "garbage", "-1 0"})
  void aCursorThatPointsNowhereImportsEveryRecordAndDiscardsNone(String cursor, @TempDir Path dir)
      throws Exception {
    LegacyFiles.segment(dir, 1, payloads(1, 40));
    LegacyFiles.segment(dir, 2, payloads(41, 80));
    Files.writeString(dir.resolve("cursor"), cursor + "\n");
    DropCounts drops = new DropCounts();
    try (ResultStore store = open(dir, drops)) {
      List<Long> got = seqs(store);
      // A cursor naming segment 2 at a bad offset skips segment 1 (acknowledged), keeps all of 2.
      List<Long> expected = cursor.startsWith("2 ") ? range(41, 80) : range(1, 80);
      assertEquals(expected, got);
      assertEquals(0, drops.total());
    }
    assertFalse(Files.exists(dir.resolve("seg-000000000001.log")));
    assertFalse(Files.exists(dir.resolve("cursor")));
  }

  @Test
  void aValidCursorSkipsWhatWasAcknowledged(@TempDir Path dir) throws Exception {
    List<byte[]> p = payloads(1, 40);
    LegacyFiles.segment(dir, 5, p);
    Files.writeString(dir.resolve("cursor"), "5 " + LegacyFiles.offsetOf(p, 10) + "\n");
    DropCounts drops = new DropCounts();
    try (ResultStore store = open(dir, drops)) {
      assertEquals(range(11, 40), seqs(store));
      assertEquals(0, drops.total());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {653, 1})
  void aFlippedByteInOneOldRecordCostsThatRecordAlone(int damaged, @TempDir Path dir)
      throws Exception {
    List<byte[]> p = payloads(1, 1305);
    Path seg = LegacyFiles.segment(dir, 0, p);
    byte[] bytes = Files.readAllBytes(seg);
    bytes[(int) LegacyFiles.offsetOf(p, damaged - 1) + 8 + 20] ^= 0x10;
    Files.write(seg, bytes);
    DropCounts drops = new DropCounts();
    try (ResultStore store = open(dir, drops)) {
      List<Long> expected = range(1, 1305);
      expected.remove(Long.valueOf(damaged));
      assertEquals(expected, seqs(store));
      assertEquals(1, drops.get(Reason.CORRUPT));
      assertEquals(1, drops.total());
    }
  }
}
