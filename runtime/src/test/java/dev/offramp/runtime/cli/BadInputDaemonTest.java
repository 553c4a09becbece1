package dev.offramp.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import dev.offramp.runtime.Main;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.lifecycle.StopSignal;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.testing.BadImages;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end against single bad inputs (issue 10's table): real files, a real Mosquitto,
 * a real bound port. Each test asserts what was skipped, counted or refused.
 */
class BadInputDaemonTest {
  @TempDir Path tmp;

  private record Run(int code, String err, long millis) {}

  private Run run(List<String> args) {
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int code =
        RuntimeMain.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            args.toArray(String[]::new));
    return new Run(code, err.toString(), (System.nanoTime() - t0) / 1_000_000);
  }

  private List<String> args(Path bundle, Path source, String mqttUrl, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--bundle",
                bundle.toString(),
                "--source",
                source.toString(),
                "--device-id",
                "dev1",
                "--mqtt-url",
                mqttUrl,
                "--state-dir",
                tmp.resolve("state").toString()));
    a.addAll(List.of(more));
    return a;
  }

  private Path bundle() throws Exception {
    return TestBundles.write(Files.createDirectories(tmp.resolve("bundle")));
  }

  private Path frames(int good) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frames"));
    List<byte[]> images = Media.grayImages(good, 28, 28);
    for (int i = 0; i < good; i++) {
      Media.writePgm(dir.resolve(String.format("f%02d.pgm", i * 2)), images.get(i), 28, 28);
    }
    return dir;
  }

  @Test
  void badFilesAmongGoodOnesAreSkippedAndCountedAndTheRunEndsCleanly() throws Exception {
    Path dir = frames(4);
    BadImages.empty(dir.resolve("f01.png"));
    BadImages.text(dir.resolve("f03.jpg"));
    BadImages.truncatedPng(dir.resolve("f05.png"), 60_000, 60_000);
    BadImages.bombPng(dir.resolve("f07.png"), 32_000, 32_000);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      Run r = run(args(bundle(), dir, broker.url(), "--http-port", "0"));
      assertEquals(0, r.code(), r.err());
      List<Subscriber.Message> results =
          sub.await(m -> m.topic().equals("offramp/dev1/cam0/result"), 4, 10);
      assertEquals(4, results.size());
      assertEquals(
          Map.of("undecodable", 2L, "too_large", 2L, "unreadable", 0L),
          RuntimeMetrics.global().framesSkipped());
    }
  }

  @Test
  void aDirectoryOfOnlyBadFilesKeepsTheDaemonUpWithErrorOnTheStatusTopic() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frames"));
    BadImages.empty(dir.resolve("a.png"));
    BadImages.text(dir.resolve("b.jpg"));
    Path bundle = bundle();
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      List<ConfigLoader.Override> o =
          new ArrayList<>(
              List.of(
                  new ConfigLoader.Override("bundle.path", "--bundle", bundle.toString()),
                  new ConfigLoader.Override("source.uri", "--source", dir.toString()),
                  new ConfigLoader.Override("source.reconnect-initial-ms", "-", 50),
                  new ConfigLoader.Override("source.reconnect-max-ms", "-", 100),
                  new ConfigLoader.Override("device-id", "-", "dev1"),
                  new ConfigLoader.Override("mqtt.broker-url", "-", broker.url()),
                  new ConfigLoader.Override("http.port", "-", 0),
                  new ConfigLoader.Override("state-dir", "-", tmp.resolve("state").toString())));
      RuntimeConfig config = ConfigLoader.load(Optional.empty(), o);
      StopSignal stop = new StopSignal();
      int[] code = {-1};
      Thread daemon =
          new Thread(
              () ->
                  code[0] =
                      Main.run(
                          config, new Main.Options(stop, 0, List.of(), s -> {}, List.of("true"))),
              "daemon");
      daemon.start();
      List<Subscriber.Message> errors =
          sub.await(
              m -> m.topic().equals("offramp/dev1/cam0/status") && m.payload().contains("error"),
              2,
              15);
      JsonNode status = errors.get(errors.size() - 1).json();
      assertEquals("error", status.get("state").asText());
      assertTrue(
          status.get("error").asText().startsWith("every one of 2 frames of " + dir),
          status.toString());
      assertTrue(daemon.isAlive(), "the daemon keeps running");
      stop.request("test");
      daemon.join(10_000);
      assertEquals(0, code[0]);
      assertTrue(RuntimeMetrics.global().framesSkipped().get("undecodable") >= 4);
    }
  }

  @Test
  void aLastStageThatOutputsNanIsPublishedWithANumericConfidenceAndCounted() throws Exception {
    TestNets net = TestNets.small(7);
    float[] nan = new float[net.classes()];
    Arrays.fill(nan, Float.NaN);
    Path bundle =
        TestBundles.write(
            Files.createDirectories(tmp.resolve("bundle")), net, net.stages(Map.of(2, nan)));
    Path dir = frames(3);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      Run r = run(args(bundle, dir, broker.url(), "--http-port", "0", "--profile", "never"));
      assertEquals(0, r.code(), r.err());
      List<Subscriber.Message> results =
          sub.await(m -> m.topic().equals("offramp/dev1/cam0/result"), 3, 10);
      for (Subscriber.Message m : results) {
        JsonNode confidence = m.json().get("confidence");
        assertTrue(confidence.isNumber(), m.payload());
        assertTrue(confidence.asDouble() > 0 && confidence.asDouble() <= 1, m.payload());
        assertEquals(1, m.json().get("exit_stage").asInt(), "stage 1 answers for the broken last");
        assertEquals(3, m.json().get("stages_run").asInt());
      }
      assertEquals(
          List.of(0L, 0L, 3L),
          RuntimeMetrics.global().snapshot().get("offramp_invalid_probs_total"),
          "every frame's last-stage output was counted");
    }
  }

  @Test
  void anHttpPortInUseStopsStartUpWithinSecondsNamingHostAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket();
        Broker broker = new Broker(tmp.resolve("broker")).start()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Run r = run(args(bundle(), frames(2), broker.url(), "--http-port", String.valueOf(port)));
      assertNotEquals(0, r.code());
      assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + port), r.err());
      assertTrue(r.millis() < 15_000, r.millis() + " ms");
    }
  }

  @Test
  void aForeignHttpHostStopsStartUpNamingIt() throws Exception {
    Path config = Files.writeString(tmp.resolve("c.yaml"), "http: {host: 8.8.8.8, port: 8080}\n");
    try (Broker broker = new Broker(tmp.resolve("broker")).start()) {
      Run r = run(args(bundle(), frames(2), broker.url(), "--config", config.toString()));
      assertNotEquals(0, r.code());
      assertTrue(r.err().contains("cannot listen on 8.8.8.8:8080"), r.err());
    }
  }

  @Test
  void withHttpDisabledAPortInUseDoesNotMatter() throws Exception {
    Path config = Files.writeString(tmp.resolve("c.yaml"), "http: {enabled: false}\n");
    try (ServerSocket taken = new ServerSocket();
        Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "test-sub")) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Run r =
          run(
              args(
                  bundle(),
                  frames(2),
                  broker.url(),
                  "--config",
                  config.toString(),
                  "--http-port",
                  String.valueOf(taken.getLocalPort())));
      assertEquals(0, r.code(), r.err());
      assertEquals(2, sub.await(m -> m.topic().endsWith("/cam0/result"), 2, 10).size());
    }
  }
}
