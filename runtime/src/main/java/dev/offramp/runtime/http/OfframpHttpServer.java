package dev.offramp.runtime.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The daemon's web server (Helidon SE 4): {@link HttpApi} routes plus {@code /observe/health} and
 * {@code /observe/metrics} (Prometheus text from Helidon's global meter registry). Lifecycle:
 * {@link #start} binds and returns; {@link #close()} stops. Idempotent.
 */
public final class OfframpHttpServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OfframpHttpServer.class.getName());

  static final int SEND_BUFFER_BYTES = 64 * 1024;

  private final WebServer server;
  private volatile boolean closed;

  private OfframpHttpServer(WebServer server) {
    this.server = server;
  }

  /**
   * Binds {@code settings.host():settings.port()} (0 = any free port) and starts serving.
   *
   * @throws UncheckedIOException wrapping a {@link BindException} that names host and port, the
   *     reason and the fix, when the address cannot be bound (port in use, address not on this
   *     machine). Helidon only logs such a failure and runs on without a listener; a daemon whose
   *     API, health and metrics are silently missing must not start.
   */
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
            // A small, fixed send buffer per connection: a client that stops reading blocks its
            // writer after ~64 KiB instead of megabytes of kernel autotuning, so a stalled
            // /api/results client is noticed (and disconnected) within seconds.
            .connectionOptions(
                SocketOptions.builder().socketSendBufferSize(SEND_BUFFER_BYTES).build())
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
    if (!server.isRunning() || server.port() <= 0) {
      server.stop();
      BindException failure = bindFailure(settings);
      throw new UncheckedIOException(failure.getMessage(), failure);
    }
    LOG.log(
        Level.INFO, "HTTP on http://{0}:{1}/", settings.host(), Integer.toString(server.port()));
    return new OfframpHttpServer(server);
  }

  /** Why {@code host:port} cannot be bound, learnt by trying it once more with a plain socket. */
  private static BindException bindFailure(HttpSettings settings) {
    String why;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(settings.host(), settings.port()));
      why = "the listener did not start (see the log above)";
    } catch (IOException | RuntimeException e) {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new BindException(
        "cannot listen on "
            + settings.host()
            + ":"
            + settings.port()
            + " ("
            + why
            + "). Expected a free port on an address of this machine: stop what uses the"
            + " port (`ss -ltnp 'sport = :"
            + settings.port()
            + "'`), choose another with --http-port or http.port, fix http.host, or set"
            + " http.enabled: false to run without HTTP");
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
