package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.InProcessDaemon;
import dev.offramp.runtime.testing.LocalHttp;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several cameras in one daemon, end to end: real videos through FFmpeg, one set of stage sessions,
 * results and statuses read back from a real Mosquitto.
 */
class MultiCameraDaemonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<byte[]> IMAGES = Media.grayImages(80, 28, 28);

  @TempDir Path tmp;
  private Path bundle;

  @BeforeEach
  void bundle() throws Exception {
    bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
  }

  @Test
  void twoCamerasEachGetEveryFrameWithTheirOwnContiguousSeqAndTheSameAnswersAsAlone()
      throws Exception {
    Path a = video("a", 0, 24);
    Path b = video("b", 30, 36);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "two-sub")) {
      String sources =
          "sources:\n  - {camera: door, max-fps: 40, uri: "
              + a
              + "}\n  - {camera: yard, max-fps: 40, uri: "
              + b
              + "}\n";
      runToEnd(config("two", sources, broker));
      List<JsonNode> door = results(sub, "two", "door", 24);
      List<JsonNode> yard = results(sub, "two", "yard", 36);
      assertContiguous(door, "door");
      assertContiguous(yard, "yard");
      // Each camera has its own retained status; both files ended, so both end offline.
      for (String camera : List.of("door", "yard")) {
        List<Subscriber.Message> st =
            sub.await(m -> m.topic().equals("offramp/two/" + camera + "/status"), 1, 10);
        assertEquals("end of stream", st.get(st.size() - 1).json().get("error").asText(), camera);
      }
      // Both files are decoded ahead and paced alike, so their frames wait together and run as
      // one batch (the test bundle takes a batch): frames that ran together report the batched
      // call's inference time.
      java.util.Set<Double> yardTimes = new java.util.HashSet<>();
      yard.forEach(r -> yardTimes.add(r.get("latency_ms").get("inference").asDouble()));
      assertTrue(
          door.stream()
              .anyMatch(r -> yardTimes.contains(r.get("latency_ms").get("inference").asDouble())),
          "no door frame ran in a batch with a yard frame");

      // Each camera's answers equal a one-camera daemon's on the same video.
      runToEnd(config("solo", "source: {camera: door, uri: " + a + "}\n", broker));
      assertSameAnswers(results(sub, "solo", "door", 24), door);
      runToEnd(config("solo2", "source: {camera: yard, uri: " + b + "}\n", broker));
      assertSameAnswers(results(sub, "solo2", "yard", 36), yard);
    }
  }

  @Test
  void fourCamerasKeepEveryResultWhileOneCameraIsKilledAndReportedLost() throws Exception {
    String url = "http://127.0.0.1:" + Media.freePort() + "/stream";
    StringBuilder sources = new StringBuilder("sources:\n");
    for (int i = 0; i < 3; i++) {
      sources
          .append("  - {camera: file")
          .append(i)
          .append(", max-fps: 15, uri: ")
          .append(video("f" + i, i * 20, 40))
          .append("}\n");
    }
    sources
        .append("  - {camera: net, uri: \"")
        .append(url)
        .append("\", reconnect-initial-ms: 100, reconnect-max-ms: 400, max-fps: 15}\n");
    Process server = Media.serveMjpeg(url, 56);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "four-sub")) {
      InProcessDaemon daemon = new InProcessDaemon(config("four", sources.toString(), broker));
      try {
        int port = daemon.started().httpPort();
        sub.await(m -> m.topic().equals("offramp/four/net/result"), 3, 30);
        server.destroy(); // the net camera goes away while the files still stream
        server.waitFor(5, TimeUnit.SECONDS);
        sub.await(
            m -> m.topic().equals("offramp/four/net/status") && !m.payload().contains("online"),
            1,
            20);
        for (int i = 0; i < 3; i++) {
          assertContiguous(results(sub, "four", "file" + i, 40), "file" + i);
        }
        JsonNode cameras = JSON.readTree(LocalHttp.get(port, "/api/status")).get("cameras");
        assertEquals(List.of("file0", "file1", "file2", "net"), names(cameras));
        assertTrue(!cameras.get("net").get("state").asText().equals("online"), cameras.toString());
        assertEquals(40, cameras.get("file1").get("published").asLong(), cameras.toString());
        String metrics = LocalHttp.get(port, "/observe/metrics");
        assertTrue(metrics.contains("offramp_camera_frames_total{camera=\"net\""), metrics);
      } finally {
        daemon.close();
        server.destroyForcibly();
      }
      assertEquals(0, daemon.stop());
    }
  }

  @Test
  void aMissingDeviceIsAnErrorForItsCameraOnlyAndIsRetried() throws Exception {
    Path a = video("a", 0, 30);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "miss-sub")) {
      String sources =
          "sources:\n  - {camera: ok, uri: "
              + a
              + ", max-fps: 20}\n  - {camera: gone, uri: /dev/video-offramp-none,"
              + " reconnect-initial-ms: 100, reconnect-max-ms: 200}\n";
      InProcessDaemon daemon = new InProcessDaemon(config("miss", sources, broker));
      try {
        daemon.started();
        assertContiguous(results(sub, "miss", "ok", 30), "ok");
        List<Subscriber.Message> gone =
            sub.await(m -> m.topic().equals("offramp/miss/gone/status"), 2, 20);
        assertTrue(gone.stream().allMatch(m -> m.json().get("state").asText().equals("error")));
        assertTrue(sub.on("offramp/miss/gone/result").isEmpty());
      } finally {
        daemon.close();
      }
      assertEquals(0, daemon.stop());
    }
  }

  private Path video(String name, int from, int n) throws Exception {
    return Media.mp4(
        Files.createDirectories(tmp.resolve(name)), IMAGES.subList(from, from + n), 28, 28, 10);
  }

  private RuntimeConfig config(String device, String sources, Broker broker) throws Exception {
    Path file = Files.writeString(tmp.resolve(device + ".yaml"), sources);
    return ConfigLoader.load(
        Optional.of(file),
        List.of(
            new ConfigLoader.Override("device-id", "t", device),
            new ConfigLoader.Override("state-dir", "t", tmp.resolve(device).toString()),
            new ConfigLoader.Override("bundle.path", "t", bundle.toString()),
            new ConfigLoader.Override("mqtt.broker-url", "t", broker.url()),
            new ConfigLoader.Override("http.port", "t", 0)));
  }

  /** Runs a daemon of file sources until they end and it stops by itself. */
  private static void runToEnd(RuntimeConfig config) throws Exception {
    InProcessDaemon daemon = new InProcessDaemon(config);
    daemon.started();
    assertEquals(0, daemon.exit(60));
  }

  private static List<JsonNode> results(Subscriber sub, String device, String camera, int n)
      throws Exception {
    String topic = "offramp/" + device + "/" + camera + "/result";
    List<JsonNode> out = new ArrayList<>();
    for (Subscriber.Message m : sub.await(x -> x.topic().equals(topic), n, 60)) {
      out.add(m.json());
    }
    // Results classified before the broker connection came up are replayed beside live ones:
    // each stream is in order, the two interleave. Contiguous means 1..n, none missing.
    out.sort(java.util.Comparator.comparingLong(r -> r.get("seq").asLong()));
    Thread.sleep(300); // nothing more may come
    assertEquals(n, sub.on(topic).size(), topic);
    return out;
  }

  private static void assertContiguous(List<JsonNode> results, String camera) {
    assertEquals(
        LongStream.rangeClosed(1, results.size()).boxed().toList(),
        results.stream().map(r -> r.get("seq").asLong()).toList(),
        camera);
    assertTrue(results.stream().allMatch(r -> r.get("camera").asText().equals(camera)));
    assertEquals(1, results.stream().map(r -> r.get("session").asText()).distinct().count());
  }

  /** Same class and exit per seq; confidences equal up to batched kernels' float rounding. */
  private static void assertSameAnswers(List<JsonNode> alone, List<JsonNode> together) {
    assertEquals(alone.size(), together.size());
    for (int i = 0; i < alone.size(); i++) {
      JsonNode x = alone.get(i);
      JsonNode y = together.get(i);
      String at = "seq " + x.get("seq") + ": " + x + " vs " + y;
      assertEquals(x.get("class_id").asInt(), y.get("class_id").asInt(), at);
      assertEquals(x.get("exit_stage").asInt(), y.get("exit_stage").asInt(), at);
      assertEquals(x.get("confidence").asDouble(), y.get("confidence").asDouble(), 1e-5, at);
    }
  }

  private static List<String> names(JsonNode cameras) {
    List<String> out = new ArrayList<>();
    cameras.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
