package dev.offramp.runtime.http;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.lang.System.Logger.Level;

/**
 * The daemon's web server (Helidon SE 4): {@link HttpApi} routes plus {@code /observe/health} and
 * {@code /observe/metrics} (Prometheus text from Helidon's global meter registry). Lifecycle:
 * {@link #start} binds and returns; {@link #close()} stops. Idempotent.
 */
public final class OfframpHttpServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OfframpHttpServer.class.getName());

  private final WebServer server;
  private volatile boolean closed;

  private OfframpHttpServer(WebServer server) {
    this.server = server;
  }

  /** Binds {@code settings.host():settings.port()} (0 = any free port) and starts serving. */
  public static OfframpHttpServer start(HttpSettings settings, HttpApi api) {
    HealthObserver health =
        HealthObserver.builder()
            .details(true)
            .useSystemServices(false)
            .addChecks(api.healthChecks().toArray(new HealthCheck[0]))
            .build();
    WebServer server =
        WebServer.builder()
            .host(settings.host())
            .port(settings.port())
            .shutdownHook(false)
            .featuresDiscoverServices(false)
            .addFeature(
                ObserveFeature.builder()
                    .observersDiscoverServices(false)
                    .addObserver(health)
                    .addObserver(MetricsObserver.create())
                    .build())
            .routing(api::routing)
            .build()
            .start();
    LOG.log(
        Level.INFO, "HTTP on http://{0}:{1}/", settings.host(), Integer.toString(server.port()));
    return new OfframpHttpServer(server);
  }

  /** The bound port (the ephemeral one when configured as 0). */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      server.stop();
    }
  }
}
