package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineBufferTest {
  private static byte[] rec(int i) {
    return ("record-" + i + "-" + "x".repeat(150)).getBytes(StandardCharsets.UTF_8);
  }

  private static int id(byte[] payload) {
    String s = new String(payload, StandardCharsets.UTF_8);
    return Integer.parseInt(s.substring(7, s.indexOf('-', 7)));
  }

  private static List<Integer> drain(OfflineBuffer b) {
    List<Integer> out = new ArrayList<>();
    OfflineBuffer.Position last = null;
    while (b.hasNext()) {
      OfflineBuffer.Entry e = b.next();
      out.add(id(e.payload()));
      last = e.end();
    }
    if (last != null) {
      b.commit(last);
    }
    return out;
  }

  @Test
  void keepsUnacknowledgedRecordsInOrderAcrossReopen(@TempDir Path dir) {
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.PERIODIC)) {
      for (int i = 1; i <= 10; i++) {
        b.append(rec(i));
      }
      OfflineBuffer.Entry first = b.next();
      OfflineBuffer.Entry second = b.next();
      assertEquals(1, id(first.payload()));
      b.commit(second.end());
      assertEquals(8, b.depth());
    }
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.PERIODIC)) {
      assertEquals(8, b.depth());
      assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10), drain(b));
      assertEquals(0, b.depth());
    }
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.PERIODIC)) {
      assertFalse(b.hasNext());
    }
  }

  @Test
  void rewindReadsUnacknowledgedRecordsAgain(@TempDir Path dir) {
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.NEVER)) {
      for (int i = 1; i <= 3; i++) {
        b.append(rec(i));
      }
      b.commit(b.next().end());
      b.next();
      b.rewind();
      assertEquals(List.of(2, 3), drain(b));
    }
  }

  @Test
  void truncatesACorruptTailOnOpenAndKeepsTheRecordsBeforeIt(@TempDir Path dir) throws Exception {
    OfflineBuffer crashed = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.ALWAYS);
    for (int i = 1; i <= 5; i++) {
      crashed.append(rec(i));
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    long goodSize = Files.size(seg);
    // A torn record: a header promising 200 bytes, then 3 bytes.
    Files.write(
        seg,
        new byte[] {0, 0, 0, (byte) 200, 1, 2, 3, 4, 'a', 'b', 'c'},
        StandardOpenOption.APPEND);
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.ALWAYS)) {
      assertEquals(goodSize, Files.size(seg));
      assertEquals(List.of(1, 2, 3, 4, 5), drain(b));
    }
  }

  @Test
  void recordWithABadChecksumIsTruncatedWithEverythingAfterIt(@TempDir Path dir) throws Exception {
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.NEVER)) {
      for (int i = 1; i <= 3; i++) {
        b.append(rec(i));
      }
    }
    Path seg;
    try (var s = Files.list(dir)) {
      seg = s.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(seg);
    int recordSize = bytes.length / 3;
    bytes[recordSize + 20] ^= 0x55; // flip a payload byte of record 2
    Files.write(seg, bytes);
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.NEVER)) {
      assertEquals(List.of(1), drain(b));
    }
  }

  @Test
  void whenFullDropsTheOldestAndCountsThem(@TempDir Path dir) {
    try (OfflineBuffer b = OfflineBuffer.open(dir, 4096, FsyncPolicy.NEVER)) {
      for (int i = 1; i <= 100; i++) {
        b.append(rec(i));
      }
      assertTrue(b.dropped() > 0, "dropped " + b.dropped());
      assertEquals(100, b.dropped() + b.depth());
      List<Integer> rest = drain(b);
      assertEquals(b.dropped() + 1, (long) rest.get(0), "the oldest went first");
      assertEquals(100, rest.get(rest.size() - 1));
      for (int i = 1; i < rest.size(); i++) {
        assertEquals(rest.get(i - 1) + 1, rest.get(i));
      }
    }
  }

  @Test
  void roundTripsPayloadsByteForByte(@TempDir Path dir) {
    byte[] payload = ResultJson.toBytes(Fixtures.result("cam0", 42));
    try (OfflineBuffer b = OfflineBuffer.open(dir, 1 << 20, FsyncPolicy.NEVER)) {
      b.append(payload);
      assertArrayEquals(payload, b.next().payload());
    }
  }

  @Test
  void unwritableDirectoryFailsNamingTheSetting(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x");
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () -> OfflineBuffer.open(file.resolve("buf"), 1 << 20, FsyncPolicy.NEVER));
    assertTrue(e.getMessage().contains("mqtt.buffer-dir"), e.getMessage());
  }
}
