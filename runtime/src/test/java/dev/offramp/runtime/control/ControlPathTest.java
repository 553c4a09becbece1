package dev.offramp.runtime.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.DaemonProcess;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One control path: a change made over HTTP shows on MQTT's retained state, and one made over MQTT
 * shows on HTTP, with the real daemon, a real Mosquitto and a real HTTP client.
 */
class ControlPathTest {
  @TempDir Path tmp;

  @Test
  void profileSetOverHttpIsRetainedOnMqttStateProfileAndMqttChangesShowOverHttp() throws Exception {
    Path bundle = TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
    Path video = Media.mp4(tmp, Media.grayImages(10, 28, 28), 28, 28, 10);
    Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
    Path config =
        Files.writeString(tmp.resolve("config.yaml"), "http: {token-file: " + token + "}\n");
    int port = Media.freePort();
    Path log = tmp.resolve("daemon.log");
    try (Broker broker = new Broker(tmp.resolve("broker")).start()) {
      Process daemon =
          DaemonProcess.start(
              log,
              "run",
              "--bundle",
              bundle.toString(),
              "--source",
              video.toString(),
              "--loop",
              "--max-fps",
              "20",
              "--device-id",
              "ctl",
              "--mqtt-url",
              broker.url(),
              "--http-port",
              Integer.toString(port),
              "--state-dir",
              tmp.resolve("s").toString(),
              "--config",
              config.toString());
      try (Subscriber first = new Subscriber(broker.url(), "ctl-1")) {
        first.await(m -> m.topic().equals("offramp/ctl/state/profile"), 1, 60);
        HttpClient http = HttpClient.newHttpClient();
        // MQTT connects in the background while start-up goes on: the HTTP server may follow.
        awaitListening(port);
        HttpResponse<String> put =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/profile"))
                    .header("Authorization", "Bearer t0ken")
                    .PUT(HttpRequest.BodyPublishers.ofString("never"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        first.await(
            m -> m.topic().equals("offramp/ctl/state/profile") && m.payload().equals("never"),
            1,
            10);
        // A client that connects later gets the applied value as the retained message.
        try (Subscriber later = new Subscriber(broker.url(), "ctl-2")) {
          List<Subscriber.Message> retained =
              later.await(m -> m.topic().equals("offramp/ctl/state/profile"), 1, 10);
          assertEquals("never", retained.get(0).payload());
          assertTrue(retained.get(0).retained());
        }
        // And the other way: MQTT set/profile shows on HTTP.
        MqttClient pub = new MqttClient(broker.url(), "ctl-pub", new MemoryPersistence());
        pub.connect();
        pub.publish("offramp/ctl/set/profile", new MqttMessage("exit1".getBytes()));
        pub.disconnect();
        pub.close();
        first.await(
            m -> m.topic().equals("offramp/ctl/state/profile") && m.payload().equals("exit1"),
            1,
            10);
        String status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(status.contains("\"profile\":\"exit1\""), status);
      } finally {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
        daemon.destroyForcibly();
      }
    }
  }

  private static void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("HTTP did not listen on " + port + " within 30 s", e);
        }
        Thread.sleep(50);
      }
    }
  }
}
