package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.offramp.runtime.mqtt.MqttSettings.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fuzzes the readers of stored records: the previous release's segment format (with a cursor) and a
 * store file of arbitrary bytes. Whatever the bytes, opening never fails, every row that comes back
 * is a valid result, and the store works afterwards. The normal test run replays the inputs under
 * {@code src/test/resources/.../StoredRecordFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see
 * README, Reliability).
 */
class StoredRecordFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void oldSegmentsAndCursorsAreImportedOrCountedNeverFatal(FuzzedDataProvider data)
      throws Exception {
    Path dir = Files.createTempDirectory("fuzz-legacy");
    try {
      if (data.consumeBoolean()) {
        Files.writeString(dir.resolve("cursor"), data.consumeString(24));
      }
      int segments = data.consumeInt(1, 3);
      for (int i = 0; i < segments; i++) {
        byte[] body = data.consumeBytes(data.consumeInt(0, 4096));
        Files.write(dir.resolve(String.format("seg-%012d.log", i)), body);
      }
      checkOpens(dir);
    } finally {
      delete(dir);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void aStoreFileOfAnyBytesIsSalvagedOrReplacedNeverFatal(byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory("fuzz-store");
    try {
      Files.write(dir.resolve(ResultStore.FILE), bytes);
      checkOpens(dir);
    } finally {
      delete(dir);
    }
  }

  private static void checkOpens(Path dir) throws Exception {
    DropCounts drops = new DropCounts();
    try (ResultStore store = ResultStore.open(dir, 1 << 20, FsyncPolicy.NEVER, drops)) {
      for (StoredRows.Row r : store.readAfter(0, Long.MAX_VALUE, 10_000).rows()) {
        assertTrue(ResultJson.fromBytes(r.payload()).seq() >= 0);
      }
      store.append(java.util.List.of(Fixtures.result("cam0", 1)), id -> false);
      assertTrue(store.depth() >= 1, "the store works after opening");
      assertTrue(drops.total() >= 0);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
