package dev.offramp.runtime.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the HTTP server, parsed from the {@code http:} section of the daemon config.
 * Immutable; the compact constructor validates. {@link #defaults()} holds every default.
 *
 * <table>
 *   <caption>Config keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 127.0.0.1}</td>
 *       <td>address to bind; {@code 0.0.0.0} exposes the page and API to the network</td></tr>
 *   <tr><td>{@code port}</td><td>8080</td><td>TCP port; 0 picks a free one (tests)</td></tr>
 *   <tr><td>{@code token-file}</td><td>none</td>
 *       <td>file whose first line is the bearer token for {@code PUT /api/*}; without it those
 *       endpoints answer 403</td></tr>
 *   <tr><td>{@code sse-queue}</td><td>64</td>
 *       <td>results queued per {@code /api/results} client; a slower client loses the overflow
 *       (counted)</td></tr>
 *   <tr><td>{@code max-sse-clients}</td><td>16</td>
 *       <td>concurrent {@code /api/results} clients; more are refused with 503</td></tr>
 * </table>
 *
 * @param host {@code host}
 * @param port {@code port}
 * @param tokenFile {@code token-file}
 * @param sseQueue {@code sse-queue}
 * @param maxSseClients {@code max-sse-clients}
 */
public record HttpSettings(
    String host, int port, Optional<Path> tokenFile, int sseQueue, int maxSseClients) {

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tokenFile, "tokenFile");
    if (host.isBlank()) {
      throw new IllegalArgumentException(
          "http.host: expected an address such as 127.0.0.1; found ''");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port: expected 0..65535; found " + port);
    }
    if (sseQueue < 1) {
      throw new IllegalArgumentException("http.sse-queue: expected >= 1; found " + sseQueue);
    }
    if (maxSseClients < 1) {
      throw new IllegalArgumentException(
          "http.max-sse-clients: expected >= 1; found " + maxSseClients);
    }
  }

  /** Loopback, port 8080, no token (state changes disabled), 64 queued results, 16 clients. */
  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 8080, Optional.empty(), 64, 16);
  }

  public HttpSettings withHost(String v) {
    return new HttpSettings(v, port, tokenFile, sseQueue, maxSseClients);
  }

  public HttpSettings withPort(int v) {
    return new HttpSettings(host, v, tokenFile, sseQueue, maxSseClients);
  }

  public HttpSettings withTokenFile(Path v) {
    return new HttpSettings(host, port, Optional.of(v), sseQueue, maxSseClients);
  }

  public HttpSettings withSseQueue(int v) {
    return new HttpSettings(host, port, tokenFile, v, maxSseClients);
  }

  public HttpSettings withMaxSseClients(int v) {
    return new HttpSettings(host, port, tokenFile, sseQueue, v);
  }
}
