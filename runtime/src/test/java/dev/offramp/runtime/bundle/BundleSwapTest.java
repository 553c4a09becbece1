package dev.offramp.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.DaemonProcess;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundle updates on the real daemon (child JVM), a real Mosquitto, real ONNX Runtime sessions and
 * the system's tar: good bundles swap in over HTTP, MQTT and the watched directory; a tampered
 * stage, a bad signature, a wrong input shape and a traversing archive are refused with the running
 * bundle untouched and the reason published; rollback goes back; and across all of it {@code seq}
 * has no gap and every result names the bundle that was running.
 */
class BundleSwapTest {
  private static final String TOKEN = "sw4p";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private int port;

  @Test
  void goodBundlesSwapInBadOnesAreRefusedAndResultsNameTheirBundleWithoutAGap() throws Exception {
    KeyPair keys = Bundles.keyPair();
    Path pub = Bundles.writePublicKey(keys, tmp.resolve("pub.pem"));
    Path running = TestBundles.write(Files.createDirectories(tmp.resolve("a")));
    Path good = Bundles.write(tmp.resolve("b"), TestNets.small(11), "net-b");
    Bundles.sign(good, keys.getPrivate());
    // Tampered: signed, but a stage file changed after the manifest pinned its SHA-256.
    Path tampered = Bundles.write(tmp.resolve("c"), TestNets.small(12), "net-c");
    Bundles.sign(tampered, keys.getPrivate());
    byte[] stage = Files.readAllBytes(tampered.resolve("stage-1.onnx"));
    stage[stage.length - 1] ^= 0x01;
    Files.write(tampered.resolve("stage-1.onnx"), stage);
    // Bad signature: the manifest was renamed after signing.
    Path badSig = Bundles.write(tmp.resolve("d"), TestNets.small(13), "net-d");
    Bundles.sign(badSig, keys.getPrivate());
    Bundles.rename(badSig, "net-d-renamed");
    // Wrong input: 32x32 where the capture delivers 28x28.
    Path wide = Bundles.write(tmp.resolve("e"), new TestNets(8, 32, 10, 14), "net-e");
    Bundles.sign(wide, keys.getPrivate());
    Path fetched = Bundles.write(tmp.resolve("f"), TestNets.small(15), "net-f");
    Bundles.sign(fetched, keys.getPrivate());
    Path watch = Files.createDirectories(tmp.resolve("watch"));

    Path video = Media.mp4(tmp, Media.grayImages(10, 28, 28), 28, 28, 10);
    Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    Path config =
        Files.writeString(
            tmp.resolve("config.yaml"),
            "http: {token-file: "
                + token
                + "}\nbundle: {public-key: "
                + pub
                + ", watch-dir: "
                + watch
                + ", max-upload-mb: 8}\n");
    port = Media.freePort();
    Path state = tmp.resolve("s");
    HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] fetchedTar = Files.readAllBytes(Bundles.tar(fetched, tmp.resolve("f.tar")));
    files.createContext(
        "/f.tar",
        ex -> {
          ex.sendResponseHeaders(200, fetchedTar.length);
          ex.getResponseBody().write(fetchedTar);
          ex.close();
        });
    files.start();
    try (Broker broker = new Broker(tmp.resolve("broker")).start()) {
      Process daemon =
          DaemonProcess.start(
              tmp.resolve("daemon.log"),
              "run",
              "--bundle",
              running.toString(),
              "--source",
              video.toString(),
              "--loop",
              "--max-fps",
              "40",
              "--device-id",
              "sw",
              "--mqtt-url",
              broker.url(),
              "--http-port",
              Integer.toString(port),
              "--state-dir",
              state.toString(),
              "--config",
              config.toString());
      try (Subscriber sub = new Subscriber(broker.url(), "sw-sub")) {
        sub.await(m -> isResult(m) && bundleName(m).equals("test-net"), 3, 60);

        HttpResponse<String> anonymous =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/bundle"))
                    .PUT(
                        HttpRequest.BodyPublishers.ofFile(Bundles.tar(good, tmp.resolve("b0.tar"))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> put = putBundle(Bundles.tar(good, tmp.resolve("b.tar")));
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(put.body().contains("\"name\":\"net-b\""), put.body());
        sub.await(m -> isResult(m) && bundleName(m).equals("net-b"), 3, 20);

        // Each bad bundle: refused with its reason; results keep naming net-b.
        assertRefused(sub, putBundle(Bundles.tar(tampered, tmp.resolve("c.tar"))), "SHA-256");
        assertRefused(sub, putBundle(Bundles.tar(badSig, tmp.resolve("d.tar"))), "does not verify");
        assertRefused(
            sub, putBundle(Bundles.tar(wide, tmp.resolve("e.tar"))), "input: expected 28x28 gray");
        Path evil =
            Bundles.zip(tmp.resolve("evil.zip"), "manifest.json", "{}", "../../escaped.txt", "x");
        assertRefused(sub, putBundle(evil), "contains '..'");
        assertFalse(Files.exists(state.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        awaitMore(sub, "net-b", 3);

        // MQTT: a URL to fetch; a bad payload is answered on <prefix>/error.
        MqttClient pub2 = new MqttClient(broker.url(), "sw-pub", new MemoryPersistence());
        pub2.connect();
        pub2.publish("offramp/sw/set/bundle", new MqttMessage("ftp://127.0.0.1/x".getBytes()));
        sub.await(
            m -> m.topic().equals("offramp/sw/error") && m.payload().contains("http://"), 1, 10);
        String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/f.tar";
        pub2.publish("offramp/sw/set/bundle", new MqttMessage(url.getBytes()));
        sub.await(m -> isResult(m) && bundleName(m).equals("net-f"), 3, 30);

        // Watched directory: complete once .ready is there.
        Path dropped = Files.createDirectories(watch.resolve("g"));
        Bundles.write(dropped, TestNets.small(16), "net-g");
        Bundles.sign(dropped, keys.getPrivate());
        Files.writeString(dropped.resolve(".ready"), "");
        sub.await(m -> isResult(m) && bundleName(m).equals("net-g"), 3, 30);

        // Rollback over MQTT goes back to net-f, over HTTP back again to net-g.
        pub2.publish("offramp/sw/set/bundle", new MqttMessage("rollback".getBytes()));
        awaitMore(sub, "net-f", 3);
        HttpResponse<String> back =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/api/bundle/rollback"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(back.body().contains("\"name\":\"net-g\""), back.body());
        pub2.disconnect();
        pub2.close();

        // The retained state names the running bundle for a client that connects later.
        try (Subscriber later = new Subscriber(broker.url(), "sw-late")) {
          JsonNode st =
              later.await(m -> m.topic().equals("offramp/sw/state/bundle"), 1, 10).get(0).json();
          assertEquals("active", st.get("state").asText());
          assertEquals("net-g", st.get("bundle").get("name").asText());
          assertEquals("net-f", st.get("previous").get("name").asText());
        }
        String status =
            http.send(
                    HttpRequest.newBuilder(URI.create(base() + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(status.contains("\"bundle\":\"net-g\""), status);
        assertTrue(status.contains("\"bundle_update\":{"), status);

        awaitMore(sub, "net-g", 3);
        assertNoGapAndOneBundleAtATime(sub.on("/result"));
      } finally {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
        daemon.destroyForcibly();
        files.stop(0);
      }
    }
  }

  /** Waits for {@code n} more results naming {@code bundle} than have arrived so far. */
  private static void awaitMore(Subscriber sub, String bundle, int n) throws InterruptedException {
    long had = sub.on("/result").stream().filter(m -> bundleName(m).equals(bundle)).count();
    sub.await(m -> isResult(m) && bundleName(m).equals(bundle), (int) had + n, 20);
  }

  private void assertRefused(Subscriber sub, HttpResponse<String> res, String reason)
      throws InterruptedException {
    assertEquals(422, res.statusCode(), res.body());
    assertTrue(res.body().contains(reason), res.body());
    assertTrue(res.body().contains("\"name\":\"net-b\""), res.body());
    sub.await(
        m ->
            m.topic().equals("offramp/sw/state/bundle")
                && m.payload().contains("refused")
                && m.payload().contains(reason.replace("\"", "\\\"")),
        1,
        10);
  }

  /**
   * Seq counts up by one without a gap, and the bundle changes only where a swap happened: the
   * results, in seq order, name bundles in runs (A…A B…B F…F G…G F…F G…G), never interleaved.
   */
  private static void assertNoGapAndOneBundleAtATime(List<Subscriber.Message> results) {
    TreeMap<Long, String> bySeq = new TreeMap<>();
    String session = null;
    for (Subscriber.Message m : results) {
      JsonNode j = m.json();
      if (session == null) {
        session = j.get("session").asText();
      }
      assertEquals(session, j.get("session").asText());
      bySeq.put(j.get("seq").asLong(), j.get("bundle").get("name").asText());
      assertEquals(12, j.get("bundle").get("sha256").asText().length(), m.payload());
    }
    long first = bySeq.firstKey();
    long lastSeq = bySeq.lastKey();
    assertEquals(
        lastSeq - first + 1, bySeq.size(), "seq has a gap between " + first + " and " + lastSeq);
    List<String> runs = new ArrayList<>();
    for (String name : bySeq.values()) {
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(name)) {
        runs.add(name);
      }
    }
    assertEquals(List.of("test-net", "net-b", "net-f", "net-g", "net-f", "net-g"), runs);
  }

  private HttpResponse<String> putBundle(Path archive) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/bundle"))
            .header("Authorization", "Bearer " + TOKEN)
            .PUT(HttpRequest.BodyPublishers.ofFile(archive))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private static boolean isResult(Subscriber.Message m) {
    return m.topic().endsWith("/result");
  }

  private static String bundleName(Subscriber.Message m) {
    JsonNode b = m.json().get("bundle");
    return b == null ? "" : b.get("name").asText();
  }
}
