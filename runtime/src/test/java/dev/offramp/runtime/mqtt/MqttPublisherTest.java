package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.await;
import static dev.offramp.runtime.mqtt.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.capture.CaptureState;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.mqtt.Fixtures.Recorder;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.testing.Records;
import dev.offramp.runtime.testing.ResultFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real Mosquitto on a free loopback port. */
class MqttPublisherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final Mosquitto.PerClass broker = new Mosquitto.PerClass();

  static MqttSettings settings(String url, String device, Path state) {
    return Records.with(
        MqttSettings.defaults(device, state),
        Map.of(
            "brokerUrl", url,
            "reconnectMinDelay", Duration.ofMillis(200),
            "reconnectMaxDelay", Duration.ofSeconds(1),
            "statsInterval", Duration.ofMillis(300)));
  }

  @Test
  void publishesResultAvailabilityStatusAndStatsOnContractTopics(@TempDir Path state)
      throws Exception {
    try (Recorder rec = new Recorder(broker.url(), "rec-a", false, "offramp/dev-a/#")) {
      MqttPublisher pub =
          MqttPublisher.start(
              settings(broker.url(), "dev-a", state),
              new FakeControl("m0.02", "m0.05"),
              () -> Map.of("offramp_frames_total", 3));
      assertTrue(await(WAIT, pub::connected), "publisher connects");
      pub.publishCaptureState(
          "cam0",
          new CaptureState(CaptureState.State.RECONNECTING, 1234L, Optional.of("no device")));
      pub.accept(result("cam0", 1));
      assertTrue(await(WAIT, () -> !rec.on("offramp/dev-a/cam0/result").isEmpty()));
      assertTrue(await(WAIT, () -> !rec.on("offramp/dev-a/stats").isEmpty()));
      assertTrue(await(WAIT, () -> !rec.on("offramp/dev-a/cam0/status").isEmpty()));

      JsonNode r = JSON.readTree(rec.on("offramp/dev-a/cam0/result").get(0));
      List<String> names = new ArrayList<>();
      r.fieldNames().forEachRemaining(names::add);
      assertEquals(ResultFields.IN_ORDER, names);
      assertEquals("offramp-result/1", r.get("schema").asText());
      assertEquals(1, r.get("seq").asLong());
      assertEquals("Sneaker", r.get("label").asText());
      assertEquals(0.93, r.get("confidence").asDouble(), 1e-6);
      assertEquals(2, r.get("latency_ms").get("stages").size());
      assertEquals(3.5, r.get("latency_ms").get("total").asDouble());
      assertFalse(r.get("replayed").asBoolean());

      JsonNode st = JSON.readTree(rec.on("offramp/dev-a/cam0/status").get(0));
      assertEquals("reconnecting", st.get("state").asText());
      assertEquals(1234L, st.get("since").asLong());
      assertEquals("no device", st.get("error").asText());
      // The result stays stored until acknowledged; a later stats message shows the store empty.
      assertTrue(
          await(
              WAIT,
              () ->
                  rec.on("offramp/dev-a/stats").stream()
                      .anyMatch(j -> j.contains("\"mqtt_buffer_depth\":0"))));
      List<String> all = rec.on("offramp/dev-a/stats");
      JsonNode stats = JSON.readTree(all.get(all.size() - 1));
      assertEquals(3, stats.get("offramp_frames_total").asInt());
      assertEquals(0, stats.get("mqtt_buffer_dropped_total").asInt());
      assertEquals(
          List.of("full", "corrupt", "lost", "storage", "queue"),
          iterableNames(stats.get("mqtt_buffer_dropped")));
      assertEquals("ok", stats.get("mqtt_storage").asText());
      assertEquals(List.of("online"), rec.on("offramp/dev-a/available"));
      assertEquals(List.of("m0.02"), rec.on("offramp/dev-a/state/profile"));

      pub.close();
      assertTrue(await(WAIT, () -> rec.on("offramp/dev-a/available").contains("stopped")));
    }
  }

  @Test
  void lastWillSaysOfflineWhenTheConnectionIsCutAndOnlineAgainAfterReconnect(@TempDir Path state)
      throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(broker.port());
        Recorder rec = new Recorder(broker.url(), "rec-b", false, "offramp/dev-b/available");
        MqttPublisher pub =
            MqttPublisher.start(
                Records.with(
                    settings(proxy.url(), "dev-b", state), "keepAlive", Duration.ofSeconds(2)),
                new FakeControl("p"),
                Map::of)) {
      List<String> avail = rec.on("offramp/dev-b/available");
      assertTrue(await(WAIT, pub::connected));
      assertTrue(await(WAIT, () -> avail.equals(List.of("online"))), "online: " + avail);
      proxy.cutAll();
      assertTrue(await(WAIT, () -> avail.contains("offline")), "LWT offline: " + avail);
      assertTrue(
          await(WAIT, () -> avail.size() >= 3 && avail.get(avail.size() - 1).equals("online")),
          "online again after reconnect: " + avail);
    }
  }

  @Test
  void setProfileAndPausedAreAppliedAndTheirStateRetainedWhileInvalidValuesPublishNothing(
      @TempDir Path state) throws Exception {
    FakeControl control = new FakeControl("m0.02", "m0.05");
    try (MqttPublisher pub =
            MqttPublisher.start(settings(broker.url(), "dev-c", state), control, Map::of);
        Recorder rec = new Recorder(broker.url(), "rec-c", false, "offramp/dev-c/state/+")) {
      assertTrue(await(WAIT, pub::connected));
      List<String> profile = rec.on("offramp/dev-c/state/profile");
      List<String> paused = rec.on("offramp/dev-c/state/paused");
      assertTrue(await(WAIT, () -> profile.size() == 1 && paused.size() == 1));

      rec.client.publish(
          "offramp/dev-c/set/profile", new MqttMessage("m0.05".getBytes(StandardCharsets.UTF_8)));
      rec.client.publish(
          "offramp/dev-c/set/paused", new MqttMessage("true".getBytes(StandardCharsets.UTF_8)));
      assertTrue(await(WAIT, () -> profile.size() == 2 && paused.size() == 2));
      assertEquals(List.of("m0.02", "m0.05"), profile);
      assertEquals(List.of("false", "true"), paused);
      assertEquals("m0.05", control.profile());
      assertTrue(control.paused());

      rec.client.publish(
          "offramp/dev-c/set/profile", new MqttMessage("nope".getBytes(StandardCharsets.UTF_8)));
      rec.client.publish(
          "offramp/dev-c/set/paused", new MqttMessage("maybe".getBytes(StandardCharsets.UTF_8)));
      // A valid command after the invalid ones proves they were processed (in order) and ignored.
      rec.client.publish(
          "offramp/dev-c/set/paused", new MqttMessage("false".getBytes(StandardCharsets.UTF_8)));
      assertTrue(await(WAIT, () -> paused.size() == 3));
      assertEquals(List.of("false", "true", "false"), paused);
      assertEquals(List.of("m0.02", "m0.05"), profile);
      assertEquals("m0.05", control.profile());
    }
  }

  @Test
  void brokerOutageOfTenSecondsDeliversEverySeqWithLateOnesReplayedEachStreamInOrder(
      @TempDir Path state, @TempDir Path dir2) throws Exception {
    Mosquitto own = new Mosquitto(dir2, "").start();
    int n = 0;
    Set<Long> sentWhileDown = new LinkedHashSet<>();
    Path out = dir2.resolve("sub.txt");
    Process sub = own.persistentSubscriber("rec-d", "offramp/dev-d/cam0/result", out);
    try (MqttPublisher pub =
        MqttPublisher.start(settings(own.url(), "dev-d", state), new FakeControl("p"), Map::of)) {
      assertTrue(await(WAIT, pub::connected));
      assertTrue(await(WAIT, () -> sub.isAlive()));
      Thread.sleep(300); // let mosquitto_sub subscribe
      for (int i = 0; i < 25; i++) {
        pub.accept(result("cam0", ++n));
        Thread.sleep(20);
      }
      own.stop();
      long downUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < downUntil) {
        pub.accept(result("cam0", ++n));
        sentWhileDown.add((long) n);
        Thread.sleep(20);
      }
      own.start();
      for (int i = 0; i < 25; i++) {
        pub.accept(result("cam0", ++n));
        Thread.sleep(20);
      }
      int total = n;
      assertTrue(
          await(
              Duration.ofSeconds(30), () -> distinctSeqs(Mosquitto.payloads(out)).size() == total),
          "received " + distinctSeqs(Mosquitto.payloads(out)).size() + " of " + total);
      List<String> got = Mosquitto.payloads(out);
      List<ResultEvent> events = got.stream().map(ResultJson::fromJson).toList();
      List<Long> firstSeen = new ArrayList<>(distinctSeqs(got));
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= total; s++) {
        expected.add(s);
      }
      assertEquals(
          expected, firstSeen.stream().sorted().toList(), "every seq arrives (first occurrences)");
      // Backlog and live results alternate after a reconnect; each stream keeps seq order.
      List<Long> replayedOrder = new ArrayList<>();
      List<Long> liveOrder = new ArrayList<>();
      Set<Long> seen = new LinkedHashSet<>();
      for (ResultEvent e : events) {
        if (seen.add(e.seq())) {
          (e.replayed() ? replayedOrder : liveOrder).add(e.seq());
        }
      }
      assertEquals(replayedOrder.stream().sorted().toList(), replayedOrder);
      assertEquals(liveOrder.stream().sorted().toList(), liveOrder);
      for (ResultEvent e : events) {
        if (sentWhileDown.contains(e.seq())) {
          assertTrue(e.replayed(), "seq " + e.seq() + " produced during the outage is replayed");
        }
      }
      assertTrue(events.stream().anyMatch(e -> !e.replayed()));
      assertTrue(await(WAIT, () -> pub.bufferDepth() == 0), "buffer drained: " + pub.bufferDepth());
      System.out.printf(
          "outage test: %d results, %d during the outage, %d duplicates%n",
          total, sentWhileDown.size(), got.size() - total);
    } finally {
      sub.destroy();
      own.close();
    }
  }

  private static List<String> iterableNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<Long> distinctSeqs(List<String> payloads) {
    Set<Long> s = new LinkedHashSet<>();
    for (String p : payloads) {
      s.add(ResultJson.fromJson(p).seq());
    }
    return s;
  }

  @Test
  void aBufferLeftByThePreviousReleaseIsConvertedAndDeliveredAndItsTornTailCountedAsOne(
      @TempDir Path state) throws Exception {
    MqttSettings s = settings(broker.url(), "dev-e", state);
    // The previous release's buffer after a crash: 20 records, then a torn write (6 bytes).
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      payloads.add(ResultJson.toBytes(result("cam0", i)));
    }
    Path seg = LegacyFiles.segment(s.bufferDir(), 3, payloads);
    Files.write(seg, new byte[] {0, 0, 1, 0, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(s.bufferDir().resolve("cursor"), "3 0\n");
    try (Recorder rec = new Recorder(broker.url(), "rec-e", false, "offramp/dev-e/cam0/result");
        MqttPublisher pub = MqttPublisher.start(s, new FakeControl("p"), Map::of)) {
      List<String> got = rec.on("offramp/dev-e/cam0/result");
      assertTrue(await(WAIT, () -> got.size() >= 20), "received " + got.size());
      List<ResultEvent> events = got.stream().map(ResultJson::fromJson).toList();
      for (int i = 0; i < 20; i++) {
        assertEquals(i + 1, events.get(i).seq());
        assertTrue(events.get(i).replayed());
      }
      assertTrue(await(WAIT, () -> pub.bufferDepth() == 0));
      assertEquals(1, pub.drops().get(DropCounts.Reason.CORRUPT), "the torn record");
      assertEquals(1, pub.bufferDropped());
      assertFalse(Files.exists(seg), "old segment removed after the import");
    }
  }

  @Test
  void aFiftyMegabyteCommandIsRefusedWithAnAnswerAndOneShortEscapedLogLine(@TempDir Path state)
      throws Exception {
    List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger jul =
        java.util.logging.Logger.getLogger(CommandHandler.class.getName());
    java.util.logging.Handler h =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            logged.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(h);
    FakeControl control = new FakeControl("m0.02", "m0.05");
    try (MqttPublisher pub =
            MqttPublisher.start(settings(broker.url(), "dev-x", state), control, Map::of);
        Recorder rec = new Recorder(broker.url(), "rec-x", false, "offramp/dev-x/error")) {
      assertTrue(await(WAIT, pub::connected));
      byte[] huge = new byte[50 * 1024 * 1024];
      java.util.Arrays.fill(huge, (byte) 'a');
      byte[] forged = "\nSEVERE: forged line".getBytes(StandardCharsets.UTF_8);
      System.arraycopy(forged, 0, huge, 10, forged.length);
      rec.client.publish("offramp/dev-x/set/profile", new MqttMessage(huge));
      rec.client.publish(
          "offramp/dev-x/set/profile",
          new MqttMessage("m0.99\nSEVERE: forged".getBytes(StandardCharsets.UTF_8)));
      List<String> answers = rec.on("offramp/dev-x/error");
      assertTrue(await(WAIT, () -> answers.size() == 2), "answers: " + answers.size());
      JsonNode big = JSON.readTree(answers.get(0));
      assertEquals("offramp/dev-x/set/profile", big.get("topic").asText());
      assertTrue(big.get("error").asText().contains("52428800 bytes refused"), answers.get(0));
      assertTrue(answers.get(1).contains("m0.99\\\\nSEVERE"), answers.get(1));
      assertEquals("m0.02", control.profile(), "nothing applied");
      assertTrue(pub.connected(), "no reconnect forced");
      for (java.util.logging.LogRecord r : logged) {
        String line = java.text.MessageFormat.format(r.getMessage(), r.getParameters());
        assertTrue(line.length() < 600, "short log line: " + line.length());
        assertTrue(!line.contains("\n"), "no raw newline: " + line);
      }
      assertEquals(2, logged.size());
    } finally {
      jul.removeHandler(h);
    }
  }
}
