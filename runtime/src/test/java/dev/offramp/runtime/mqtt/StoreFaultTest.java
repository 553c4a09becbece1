package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.await;
import static dev.offramp.runtime.mqtt.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.mqtt.Fixtures.Recorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damage to the store's files between two runs, against a real Mosquitto and real files: each test
 * asserts exactly which results were lost and how they were counted.
 */
class StoreFaultTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final Mosquitto.PerClass broker = new Mosquitto.PerClass();

  /** A run with no broker: {@code n} results stored, then a clean stop. */
  static void storeWhileOffline(Path state, String device, int from, int to) throws Exception {
    String nobody = "tcp://127.0.0.1:" + Mosquitto.freePort();
    MqttPublisher pub = publisher(nobody, device, state);
    for (int i = from; i <= to; i++) {
      pub.accept(result("cam0", i));
      if (i % 500 == 0) {
        int upTo = i - from + 1;
        assertTrue(await(WAIT, () -> pub.bufferDepth() == upTo), "stored " + pub.bufferDepth());
      }
    }
    int all = to - from + 1;
    assertTrue(await(WAIT, () -> pub.bufferDepth() == all), "stored " + pub.bufferDepth());
    pub.close();
  }

  private static TreeSet<Long> seqs(List<String> payloads) {
    TreeSet<Long> s = new TreeSet<>();
    payloads.forEach(p -> s.add(ResultJson.fromJson(p).seq()));
    return s;
  }

  @ParameterizedTest
  @ValueSource(ints = {653, 1})
  void aFlippedByteInOneStoredRecordCostsThatRecordAloneCountedAsCorrupt(
      int damaged, @TempDir Path state) throws Exception {
    storeWhileOffline(state, "dev-f", 1, 1305);
    Path db = state.resolve("mqtt-buffer").resolve(ResultStore.FILE);
    byte[] bytes = Files.readAllBytes(db);
    byte[] marker = ("\"seq\":" + damaged + ",").getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, marker);
    assertTrue(at > 0, "record " + damaged + " found in " + db);
    bytes[at + marker.length + 2] ^= 0x5a;
    Files.write(db, bytes);

    try (Recorder rec = new Recorder(broker.url(), "rec-f" + damaged, false, "offramp/dev-f/#");
        MqttPublisher pub = publisher(broker.url(), "dev-f", state)) {
      List<String> got = rec.on("offramp/dev-f/cam0/result");
      assertTrue(await(WAIT, () -> pub.bufferDepth() == 0 && got.size() >= 1304), "" + got.size());
      TreeSet<Long> s = seqs(got);
      assertEquals(1304, s.size());
      assertTrue(!s.contains((long) damaged), "the damaged record is the one missing");
      assertEquals(1, pub.drops().get(Reason.CORRUPT));
      assertEquals(1, pub.bufferDropped(), "and nothing else dropped");
    }
  }

  @Test
  void theStoreFileDeletedWhileStoppedCostsWhatItHeldCountedAsLostAndLiveResultsFlow(
      @TempDir Path state) throws Exception {
    storeWhileOffline(state, "dev-g", 1, 100);
    Path buf = state.resolve("mqtt-buffer");
    Files.delete(buf.resolve(ResultStore.FILE));
    try (Recorder rec = new Recorder(broker.url(), "rec-g", false, "offramp/dev-g/#");
        MqttPublisher pub = publisher(broker.url(), "dev-g", state)) {
      assertTrue(await(WAIT, pub::connected));
      for (int i = 101; i <= 110; i++) {
        pub.accept(result("cam0", i));
      }
      List<String> got = rec.on("offramp/dev-g/cam0/result");
      assertTrue(await(WAIT, () -> got.size() >= 10));
      assertEquals(
          List.of(101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L, 110L),
          new ArrayList<>(seqs(got)));
      assertEquals(100, pub.drops().get(Reason.LOST));
      assertEquals(100, pub.bufferDropped());
    }
  }

  @Test
  void aDirectoryNamedLikeTheStoreFileAndJunkAreSkippedAndNothingIsLost(@TempDir Path state)
      throws Exception {
    Path buf = Files.createDirectories(state.resolve("mqtt-buffer"));
    Files.createDirectories(buf.resolve(ResultStore.FILE).resolve("inside"));
    Files.writeString(buf.resolve("notes.txt"), "not ours");
    Files.createDirectories(buf.resolve("seg-000000000007.log"));
    try (Recorder rec = new Recorder(broker.url(), "rec-h", false, "offramp/dev-h/#");
        MqttPublisher pub = publisher(broker.url(), "dev-h", state)) {
      for (int i = 1; i <= 20; i++) {
        pub.accept(result("cam0", i));
      }
      List<String> got = rec.on("offramp/dev-h/cam0/result");
      assertTrue(await(WAIT, () -> seqs(got).size() == 20));
      assertEquals(0, pub.bufferDropped());
      assertTrue(Files.isRegularFile(buf.resolve("notes.txt")), "junk left alone");
    }
  }

  /**
   * Where {@code needle} first stands in {@code hay}, or -1 (Latin-1 maps each byte to one char).
   */
  static int indexOf(byte[] hay, byte[] needle) {
    return new String(hay, StandardCharsets.ISO_8859_1)
        .indexOf(new String(needle, StandardCharsets.ISO_8859_1));
  }

  /** A publisher of device {@code device} to {@code url}, storing under {@code state}. */
  private static MqttPublisher publisher(String url, String device, Path state) {
    return MqttPublisher.start(
        MqttPublisherTest.settings(url, device, state), new FakeControl("p"), Map::of);
  }
}
