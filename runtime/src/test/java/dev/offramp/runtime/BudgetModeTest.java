package dev.offramp.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.config.ConfigLoader;
import dev.offramp.runtime.config.RuntimeConfig;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.PipelineParts;
import dev.offramp.runtime.pipeline.SinkFanout;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.Media;
import dev.offramp.runtime.testing.Subscriber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budget mode end to end: the real demo bundle classifying real Fashion-MNIST frames, the real
 * pipeline, control hub, MQTT publisher (real Mosquitto) and HTTP server, under a power budget
 * measured by the MAC model. The test makes the load itself, deterministically, with the frame rate
 * it feeds: at 5 fps every profile fits the budget; fed as fast as the pipeline takes frames (far
 * above the 10 fps the budget allows for the most accurate profile), none does.
 */
class BudgetModeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DEMO = Path.of("../demo").toAbsolutePath().normalize();
  private static final double JOULES_PER_MAC = 1e-9;

  @TempDir Path tmp;

  @Test
  void controllerLeavesTheAccurateProfileUnderLoadReturnsAfterAndAManualSetSuspendsItUntilOn()
      throws Exception {
    Path bundleDir = DEMO.resolve("fashion-resnet18/bundle");
    Bundle bundle = Bundle.open(bundleDir);
    Manifest manifest = bundle.manifest();
    String accurate = manifest.defaultProfile();
    // Power the most accurate profile draws at 10 fps, by the manifest's expected MACs.
    double watts =
        10
            * JOULES_PER_MAC
            * manifest.profile(accurate).expected().macsFraction()
            * manifest.backbone().macs();
    List<byte[]> frames = Media.decodeGray(DEMO.resolve("frames/fashion-test.mp4"), 28, 28);
    int httpPort = Media.freePort();
    Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "budget-watch")) {
      Path yaml =
          Files.writeString(
              tmp.resolve("config.yaml"),
              String.format(
                  Locale.ROOT,
                  """
                  device-id: bud
                  state-dir: %s
                  bundle: {path: %s}
                  source: {uri: %s, camera: cam}
                  mqtt: {broker-url: "%s"}
                  http: {port: %d, host: 127.0.0.1, token-file: %s}
                  energy: {meter: model, model-idle-watts: 0, model-joules-per-mac: %s}
                  budget: {max-watts: %s, dwell-s: 1, hysteresis: 0.1, interval: 100ms}
                  """,
                  tmp.resolve("state"),
                  bundleDir,
                  DEMO.resolve("frames/fashion-test.mp4"),
                  broker.url(),
                  httpPort,
                  token,
                  JOULES_PER_MAC,
                  watts));
      RuntimeConfig config = ConfigLoader.load(Optional.of(yaml), List.of());
      try (CascadeExecutor executor =
              CascadeExecutor.open(bundle, ExecutionOptions.parse("cpu", 1));
          EnergyMeter meter = Wiring.energyMeter(config)) {
        LatestFrameSlot slot = new LatestFrameSlot(FrameFormat.of(manifest.input()));
        SinkFanout sinks = new SinkFanout();
        Pipeline pipeline =
            new Pipeline(
                new PipelineParts(
                    "bud",
                    manifest,
                    executor,
                    FrameFeeds.single("cam", slot, 0),
                    meter,
                    List.of(sinks),
                    accurate,
                    0));
        AtomicBoolean fast = new AtomicBoolean(false);
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder =
            new Thread(
                () -> {
                  AtomicInteger i = new AtomicInteger();
                  try {
                    while (feeding.get()) {
                      byte[] f = frames.get(i.getAndIncrement() % frames.size());
                      if (fast.get()) {
                        slot.publish(
                            f, System.currentTimeMillis(), System.nanoTime(), i.get(), true);
                      } else {
                        slot.publish(
                            f, System.currentTimeMillis(), System.nanoTime(), i.get(), false);
                        Thread.sleep(200);
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "test-feeder");
        ControlHub control = ControlHub.starting(pipeline.profiles(), pipeline.profile());
        try (Transports transports =
            Wiring.transports(
                config,
                manifest,
                pipeline,
                pipeline.feeds(),
                meter,
                sinks,
                control,
                Wiring.mqtt(config, control))) {
          pipeline.start();
          feeder.start();
          // Calm: 5 fps, every profile fits; the controller keeps the most accurate.
          sub.await(m -> m.topic().equals("offramp/bud/state/budget"), 1, 20);
          Thread.sleep(4_000);
          assertEquals(accurate, pipeline.profile());
          assertEquals(0, switches(sub), "no switch while the budget holds");

          // Load: frames as fast as the pipeline takes them; the accurate profile misses the
          // budget, so the controller moves to a cheaper one and says why.
          fast.set(true);
          JsonNode down =
              sub.await(m -> isSwitch(m, p -> !p.equals(accurate)), 1, 30).get(0).json();
          assertTrue(down.get("enabled").asBoolean(), down.toString());
          assertTrue(down.get("reason").asText().contains("watts"), down.toString());
          assertTrue(
              down.get("measured").get("watts").asDouble() > watts, "measured over: " + down);
          String cheap = down.get("profile").asText();
          sub.await(
              m -> m.topic().equals("offramp/bud/state/profile") && m.payload().equals(cheap),
              1,
              10);

          // Calm again: back to the most accurate profile.
          fast.set(false);
          JsonNode up = sub.await(m -> isSwitch(m, accurate::equals), 1, 30).get(0).json();
          assertTrue(up.get("reason").asText().contains("more accurate"), up.toString());
          assertEquals(accurate, pipeline.profile());

          // A manual set (HTTP) suspends the controller: the calm budget would take it back to the
          // accurate profile, but it stays where the person put it.
          HttpClient http = HttpClient.newHttpClient();
          HttpResponse<String> put = put(http, httpPort, "profile", cheap);
          assertEquals(200, put.statusCode(), put.body());
          sub.await(
              m -> m.topic().equals("offramp/bud/state/budget-mode") && m.payload().equals("off"),
              1,
              10);
          int before = switches(sub);
          Thread.sleep(3_000);
          assertEquals(cheap, pipeline.profile(), "the manual profile holds");
          assertEquals(before, switches(sub), "no budget switch while suspended");
          JsonNode status = JSON.readTree(get(http, httpPort, "/api/status"));
          assertFalse(status.get("budget").get("enabled").asBoolean(), status.toString());
          assertTrue(
              status.get("budget").get("reason").asText().startsWith("suspended"),
              status.toString());

          // Re-enabled over MQTT: the controller resumes and takes the accurate profile again.
          MqttClient pub = new MqttClient(broker.url(), "bud-pub", new MemoryPersistence());
          pub.connect();
          pub.publish("offramp/bud/set/budget", new MqttMessage("on".getBytes()));
          pub.disconnect();
          pub.close();
          sub.await(m -> isSwitch(m, accurate::equals), 2, 20);
          assertEquals(accurate, pipeline.profile());
          status = JSON.readTree(get(http, httpPort, "/api/status"));
          assertTrue(status.get("budget").get("enabled").asBoolean(), status.toString());
          assertEquals(accurate, status.get("budget").get("profile").asText(), status.toString());

          // A bad value is refused with what was expected.
          HttpResponse<String> bad = put(http, httpPort, "budget", "sometimes");
          assertEquals(400, bad.statusCode());
          assertTrue(bad.body().contains("expected on or off"), bad.body());
        } finally {
          feeding.set(false);
          feeder.interrupt();
          slot.end(Optional.empty());
          pipeline.stop(2_000);
        }
      }
    }
  }

  private static boolean isSwitch(Subscriber.Message m, java.util.function.Predicate<String> to) {
    if (!m.topic().equals("offramp/bud/state/budget")) {
      return false;
    }
    JsonNode j = m.json();
    return j.get("measured") != null
        && !j.get("measured").isNull()
        && !j.get("measured").get("profile").asText().equals(j.get("profile").asText())
        && to.test(j.get("profile").asText());
  }

  private static int switches(Subscriber sub) {
    return (int) sub.messages().stream().filter(m -> isSwitch(m, p -> true)).count();
  }

  private static HttpResponse<String> put(HttpClient http, int port, String what, String value)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + what))
            .header("Authorization", "Bearer t0ken")
            .PUT(HttpRequest.BodyPublishers.ofString(value))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
