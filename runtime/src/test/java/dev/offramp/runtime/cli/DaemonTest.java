package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Sha256;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.DaemonProcess;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.ResultFields;
import dev.offramp.runtime.testing.Subscriber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon end to end: a real Mosquitto, an FFmpeg-made video, in-process and as a child JVM. */
class DaemonTest {
  @TempDir Path tmp;
  Path bundle;

  @BeforeEach
  void bundle() throws Exception {
    bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
  }

  private List<String> args(Broker broker, Path video, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of("run", "--bundle", bundle.toString(), "--source", video.toString()));
    a.addAll(List.of("--device-id", "dev1", "--mqtt-url", broker.url(), "--http-port", "0"));
    a.addAll(List.of("--state-dir", tmp.resolve("state").toString()));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void resultsOfAVideoArePublishedAsDocumentedJsonWithTheExecutorsLabels() throws Exception {
    Path video = Media.grayMp4(tmp, 8);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      StringWriter err = new StringWriter();
      int code =
          RuntimeMain.execute(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              args(broker, video).toArray(String[]::new));
      assertEquals(0, code, err.toString());
      List<Subscriber.Message> results =
          sub.await(m -> m.topic().equals("offramp/dev1/cam0/result"), 8, 10);
      sub.await(
          m -> m.topic().equals("offramp/dev1/available") && m.payload().equals("stopped"), 1, 10);
      List<Subscriber.Message> status = sub.on("/cam0/status");
      assertFalse(status.isEmpty());
      JsonNode last = status.get(status.size() - 1).json();
      assertEquals("offline", last.get("state").asText(), "a file that ended");
      assertEquals("end of stream", last.get("error").asText());

      Bundle b = Bundle.open(bundle);
      List<byte[]> decoded = Media.decodeGray(video, 28, 28);
      try (CascadeExecutor executor = CascadeExecutor.open(b, ExecutionOptions.defaults())) {
        Preprocessor pre = new Preprocessor(b.manifest().input());
        ExitPolicy policy = ExitPolicy.profile(b.manifest().profile(b.manifest().defaultProfile()));
        for (int i = 0; i < results.size(); i++) {
          JsonNode r = results.get(i).json();
          Set<String> keys = new TreeSet<>();
          r.fieldNames().forEachRemaining(keys::add);
          assertEquals(new TreeSet<>(ResultFields.IN_ORDER), keys);
          assertEquals("offramp-result/1", r.get("schema").asText());
          assertEquals("dev1", r.get("device").asText());
          assertEquals("cam0", r.get("camera").asText());
          assertEquals(i + 1, r.get("seq").asLong());
          assertEquals(b.manifest().defaultProfile(), r.get("profile").asText());
          assertEquals(b.manifest().name(), r.get("bundle").get("name").asText());
          assertEquals(
              Sha256.hex(b.dir().resolve("manifest.json")).substring(0, 12),
              r.get("bundle").get("sha256").asText());
          Set<String> latency = new TreeSet<>();
          r.get("latency_ms").fieldNames().forEachRemaining(latency::add);
          assertEquals(
              new TreeSet<>(Set.of("preprocess", "stages", "inference", "total")), latency);
          assertEquals(r.get("stages_run").asInt(), r.get("latency_ms").get("stages").size());
          assertFalse(r.get("replayed").asBoolean());
          assertEquals(0, r.get("dropped_frames").asLong());
          assertTrue(r.get("ts").asLong() > 1_600_000_000_000L);
          pre.fill(decoded.get(i), executor.input());
          int expected = executor.classify(policy).classId();
          assertEquals(expected, r.get("class_id").asInt(), "frame " + i);
          assertEquals(TestBundles.CLASSES.get(expected), r.get("label").asText());
        }
      }
    }
  }

  @Test
  void sigtermStopsWithinFiveSecondsWithExitZeroAndPublishesStopped() throws Exception {
    Path video = Media.grayMp4(tmp, 10);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      Process daemon =
          DaemonProcess.start(
              tmp.resolve("daemon.log"),
              args(broker, video, "--loop", "--max-fps", "20").toArray(String[]::new));
      try {
        awaitResults(sub, 3, tmp.resolve("daemon.log"));
        long t0 = System.nanoTime();
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(5, TimeUnit.SECONDS), "exited within 5 s");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, daemon.exitValue(), Files.readString(tmp.resolve("daemon.log")));
        sub.await(
            m -> m.topic().equals("offramp/dev1/available") && m.payload().equals("stopped"), 1, 5);
        assertTrue(ms < 5_000, "stopped in " + ms + " ms");
      } finally {
        daemon.destroyForcibly();
      }
    }
  }

  @Test
  void afterSigkillTheBrokerSaysOfflineAndARestartDeliversWhatWasUnsent() throws Exception {
    Path video = Media.grayMp4(tmp, 10);
    Broker broker = new Broker(tmp.resolve("broker")).start();
    try (Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      // A short connect time-out: results spill to disk once the first attempt has failed.
      Path config = Files.writeString(tmp.resolve("config.yaml"), "mqtt: {connect-timeout: 1s}\n");
      String[] args =
          args(broker, video, "--loop", "--max-fps", "20", "--config", config.toString())
              .toArray(String[]::new);
      // 1. Killed while connected: the broker publishes the Last Will.
      Process first = DaemonProcess.start(tmp.resolve("first.log"), args);
      try {
        awaitResults(sub, 2, tmp.resolve("first.log"));
        first.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // SIGKILL
      } finally {
        first.destroyForcibly();
      }
      sub.await(
          m -> m.topic().equals("offramp/dev1/available") && m.payload().equals("offline"), 1, 10);

      // 2. Run with the broker down: results go to the disk buffer; then SIGKILL.
      broker.stop();
      Process second = DaemonProcess.start(tmp.resolve("second.log"), args);
      try {
        awaitLog(tmp.resolve("second.log"), "unreachable", 60);
        Thread.sleep(2_500);
      } finally {
        second.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }

      // 3. Broker back, restart with the same state dir: the buffered results arrive, replayed.
      broker.start();
      try (Subscriber after = new Subscriber(broker.url(), "test-sub-after")) {
        Process third = DaemonProcess.start(tmp.resolve("third.log"), args);
        try {
          List<Subscriber.Message> replayed;
          try {
            replayed =
                after.await(
                    m -> m.topic().endsWith("/result") && m.json().get("replayed").asBoolean(),
                    5,
                    60);
          } catch (AssertionError e) {
            throw new AssertionError(
                e.getMessage()
                    + "\nsecond:\n"
                    + Files.readString(tmp.resolve("second.log"))
                    + "\nthird:\n"
                    + Files.readString(tmp.resolve("third.log")),
                e);
          }
          String session = replayed.get(0).json().get("session").asText();
          long expected = replayed.get(0).json().get("seq").asLong();
          System.out.println("first replayed seq of the killed run: " + expected);
          for (Subscriber.Message m : replayed) {
            JsonNode r = m.json();
            if (r.get("session").asText().equals(session)) {
              assertEquals(expected++, r.get("seq").asLong(), "no gaps in the replayed session");
            }
          }
          third.destroy();
          assertTrue(third.waitFor(5, TimeUnit.SECONDS));
          assertEquals(0, third.exitValue());
        } finally {
          third.destroyForcibly();
        }
      }
    } finally {
      broker.close();
    }
  }

  private static void awaitResults(Subscriber sub, int n, Path log) throws Exception {
    try {
      sub.await(m -> m.topic().endsWith("/result"), n, 60);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\ndaemon log:\n" + Files.readString(log), e);
    }
  }

  private static void awaitLog(Path log, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no '" + text + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
  }
}
