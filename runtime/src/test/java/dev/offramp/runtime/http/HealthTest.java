package dev.offramp.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Honest health over the socket: readiness includes storage, liveness the worker threads. */
class HealthTest {
  @Test
  void storageFailingTakesReadinessDownWithTheReasonAndStuckThreadsFailLiveness() throws Exception {
    AtomicReference<Optional<String>> storage = new AtomicReference<>(Optional.empty());
    AtomicBoolean alive = new AtomicBoolean(true);
    HttpSettings settings = HttpSettings.defaults().withPort(0);
    FakeControl control = new FakeControl("p");
    ResultStream stream = new ResultStream(settings);
    HttpApi api =
        new HttpApi(
            settings,
            () -> Apis.status("p", Map.of("cam0", "online")),
            control,
            new Readiness(() -> true, () -> true, () -> true, storage::get, alive::get),
            stream);
    OfframpHttpServer server = OfframpHttpServer.start(settings, api);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      assertEquals(200, get(http, base + "/observe/health/ready").statusCode());

      storage.set(Optional.of("writing results.db: [SQLITE_IOERR] disk I/O error"));
      HttpResponse<String> ready = get(http, base + "/observe/health/ready");
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("storage failing: writing results.db"), ready.body());
      assertEquals(200, get(http, base + "/observe/health/live").statusCode());

      storage.set(Optional.empty());
      alive.set(false);
      assertEquals(503, get(http, base + "/observe/health/live").statusCode());
      alive.set(true);
      assertEquals(200, get(http, base + "/observe/health").statusCode());
    } finally {
      stream.close();
      server.close();
    }
  }

  @Test
  void droppedResultsAreExportedPerReasonOnTheMetricsEndpoint() throws Exception {
    dev.offramp.runtime.metrics.RuntimeMetrics metrics =
        dev.offramp.runtime.metrics.RuntimeMetrics.global();
    java.util.concurrent.atomic.AtomicLong full = new java.util.concurrent.atomic.AtomicLong(3);
    metrics.bindBuffer(() -> 5, Map.of("full", full::get, "corrupt", () -> 1L, "lost", () -> 0L));
    HttpSettings settings = HttpSettings.defaults().withPort(0);
    ResultStream stream = new ResultStream(settings);
    HttpApi api = Apis.api(settings, new FakeControl("p"), stream);
    OfframpHttpServer server = OfframpHttpServer.start(settings, api);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String body = metrics(http, server.port());
      full.set(7);
      String later = metrics(http, server.port());
      assertTrue(
          body.lines()
              .anyMatch(
                  l ->
                      l.startsWith("offramp_mqtt_buffer_dropped_total{")
                          && l.contains("reason=\"full\"")
                          && l.endsWith(" 3.0")),
          body);
      assertTrue(
          later
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("offramp_mqtt_buffer_dropped_total{")
                          && l.contains("reason=\"full\"")
                          && l.endsWith(" 7.0")),
          later);
      assertTrue(
          body.lines().anyMatch(l -> l.contains("reason=\"corrupt\"") && l.endsWith(" 1.0")), body);
    } finally {
      stream.close();
      server.close();
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus text of {@code /observe/metrics}. */
  private static String metrics(HttpClient http, int port) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .header("Accept", "text/plain")
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
