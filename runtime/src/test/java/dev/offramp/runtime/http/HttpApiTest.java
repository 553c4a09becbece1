package dev.offramp.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.runtime.metrics.RuntimeMetrics;
import dev.offramp.runtime.mqtt.Fixtures;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.mqtt.ResultJson;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.testing.HeadlessChromium;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server over the socket, on an ephemeral loopback port. */
class HttpApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROM_LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)(\\s+\\d+)?$");

  @TempDir static Path dir;
  static final AtomicBoolean brokerUp = new AtomicBoolean(true);
  static final FakeControl control = new FakeControl("m0.02", "m0.05");
  static RuntimeMetrics metrics;
  static ResultStream stream;
  static OfframpHttpServer server;
  static HttpClient http;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    HttpSettings settings = HttpSettings.defaults().withPort(0).withTokenFile(token);
    metrics = RuntimeMetrics.global();
    metrics.bindPower(() -> 4.25);
    stream = new ResultStream(settings);
    metrics.bindSseDropped(stream::dropped);
    HttpApi api =
        new HttpApi(
            settings,
            () ->
                new RuntimeStatus(
                    "fashion-resnet18-bts",
                    control.profile(),
                    control.profiles(),
                    control.paused(),
                    metrics.fps(),
                    metrics.exitHistogram(),
                    metrics.frames(),
                    metrics.droppedFrames(),
                    brokerUp.get() ? "connected" : "disconnected",
                    Map.of("cam0", "online"),
                    "model:macs",
                    Map.of("undecodable", 2L, "too_large", 1L, "unreadable", 0L),
                    List.of("cpu", "cpu"),
                    Map.of("configured", false),
                    Map.of()),
            control,
            new Readiness(() -> true, () -> true, brokerUp::get),
            stream);
    server = OfframpHttpServer.start(settings, api);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    stream.close();
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Accept", "text/plain, application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> put(String path, String body, Optional<String> bearer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessFlipsWithTheBrokerSupplierWhileLivenessStaysUp() throws Exception {
    brokerUp.set(true);
    assertEquals(200, get("/observe/health/ready").statusCode());
    brokerUp.set(false);
    HttpResponse<String> down = get("/observe/health/ready");
    assertEquals(503, down.statusCode());
    assertTrue(down.body().contains("broker"), down.body());
    assertEquals(200, get("/observe/health/live").statusCode());
    brokerUp.set(true);
    assertEquals(200, get("/observe/health").statusCode());
  }

  @Test
  void metricsAreServedAsPrometheusTextWithContractNames() throws Exception {
    for (int i = 1; i <= 3; i++) {
      metrics.accept(Fixtures.result("cam0", i));
    }
    HttpResponse<String> r = get("/observe/metrics");
    assertEquals(200, r.statusCode());
    Map<String, Double> values = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = PROM_LINE.matcher(line);
      assertTrue(m.matches(), "not Prometheus text: " + line);
      String labels = m.group(2) == null ? "" : m.group(2);
      String stage = labels.contains("stage=\"1\"") ? "{stage=1}" : "";
      String le = labels.contains("le=\"0.005\"") ? "{le=0.005}" : "";
      values.merge(m.group(1) + stage + le, Double.parseDouble(m.group(3)), Double::sum);
    }
    assertTrue(values.get("offramp_frames_total") >= 3, values.toString());
    assertTrue(values.get("offramp_exits_total{stage=1}") >= 3, values.toString());
    // 3.5 ms total per frame: in the 5 ms bucket.
    assertTrue(values.get("offramp_total_seconds_bucket{le=0.005}") >= 3, values.toString());
    assertTrue(values.containsKey("offramp_stage_seconds_count{stage=1}"), values.toString());
    assertTrue(values.get("offramp_energy_joules_total") >= 3 * 0.0125 - 1e-9, values.toString());
    assertEquals(4.25, values.get("offramp_power_watts"));
  }

  @Test
  void stateChangesNeedTheBearerToken() throws Exception {
    assertEquals(401, put("/api/profile", "m0.05", Optional.empty()).statusCode());
    HttpResponse<String> wrong = put("/api/profile", "m0.05", Optional.of("guess"));
    assertEquals(401, wrong.statusCode());
    assertEquals("m0.02", control.profile());

    HttpResponse<String> ok = put("/api/profile", "m0.05", Optional.of("s3cret"));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("m0.05", control.profile());
    HttpResponse<String> bad = put("/api/profile", "nope", Optional.of("s3cret"));
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("m0.02"), bad.body());
    assertEquals(200, put("/api/paused", "{\"paused\": true}", Optional.of("s3cret")).statusCode());
    assertTrue(control.paused());
    assertEquals(200, put("/api/paused", "false", Optional.of("s3cret")).statusCode());
    assertFalse(control.paused());
    control.setProfile("m0.02");
  }

  @Test
  void withoutATokenFileStateChangesAreForbiddenWithHowToEnable() throws Exception {
    HttpSettings noToken = HttpSettings.defaults().withPort(0);
    HttpApi api = Apis.api(noToken, control, stream);
    try (OfframpHttpServer s = OfframpHttpServer.start(noToken, api)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/paused"))
                  .header("Authorization", "Bearer s3cret")
                  .PUT(HttpRequest.BodyPublishers.ofString("true"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, r.statusCode());
      assertTrue(r.body().contains("http.token-file"), r.body());
    }
  }

  @Test
  void statusReportsProfileHistogramAndBroker() throws Exception {
    metrics.accept(Fixtures.result("cam0", 1));
    JsonNode s = JSON.readTree(get("/api/status").body());
    assertEquals("fashion-resnet18-bts", s.get("bundle").asText());
    assertEquals("m0.02", s.get("profile").asText());
    assertEquals(2, s.get("profiles").size());
    assertTrue(s.get("exit_histogram").get(1).asLong() >= 1);
    assertEquals("online", s.get("capture").get("cam0").asText());
    assertTrue(s.has("broker") && s.has("fps") && s.has("frames") && s.has("dropped"));
    assertEquals(2, s.get("frames_skipped").get("undecodable").asLong());
    assertEquals(1, s.get("frames_skipped").get("too_large").asLong());
    assertEquals("[\"cpu\",\"cpu\"]", s.get("providers").toString());
  }

  @Test
  void resultStreamDeliversAPublishedEvent() throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/results")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (stream.clients() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      ResultEvent sent = Fixtures.result("cam7", 4242);
      stream.accept(sent);
      String event = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          ResultEvent got = ResultJson.fromJson(line.substring(5).strip());
          if (got.seq() == 4242) {
            assertEquals("result", event);
            assertEquals("cam7", got.camera());
            return;
          }
        }
      }
      throw new AssertionError("stream ended without the event");
    }
  }

  @Test
  void livePageRendersTheLatestLabelInHeadlessChromium(@TempDir Path profile) throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.available(), "chromium not installed");
    ResultEvent e =
        new ResultEvent(
            "dev1",
            "cam0",
            "s-1",
            99,
            1L,
            "Ankle boot",
            9,
            0.97f,
            0,
            1,
            "m0.02",
            0.3,
            new double[] {1.1},
            1.1,
            2.0,
            1000L,
            3.25,
            "model:macs",
            0,
            false,
            new BundleId("test-net", "0123456789ab"));
    stream.accept(e);
    Process p =
        new ProcessBuilder(
                HeadlessChromium.command(profile, "--timeout=5000", "--dump-dom", base + "/"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(profile.resolve("dom.html").toFile())
            .start();
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    String dom = Files.readString(profile.resolve("dom.html"));
    assertTrue(finished, "chromium finished within 60 s; DOM so far: " + dom);
    assertTrue(dom.contains("<div id=\"label\">Ankle boot</div>"), dom);
    // Served with the daemon's snapshot, the page is connected from its first paint.
    assertTrue(dom.contains("<span id=\"conn\">live</span>"), "header connected: " + dom);
    assertTrue(dom.contains("fashion-resnet18-bts"), "status polled: " + dom);
  }
}
