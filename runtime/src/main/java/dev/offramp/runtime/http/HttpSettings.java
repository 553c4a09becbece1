package dev.offramp.runtime.http;

import dev.offramp.runtime.settings.ConfigException;
import dev.offramp.runtime.settings.ConfigNode;
import dev.offramp.runtime.settings.Require;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the HTTP server, parsed from the {@code http:} section of the daemon config.
 * Immutable; the compact constructor validates. {@link #defaults()} holds every default; {@link
 * #parse(ConfigNode)} reads the section over them. The withers serve tests and tools, not parsing.
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
 *   <tr><td>{@code enabled}</td><td>true</td>
 *       <td>false runs the daemon without the HTTP server (no page, API, health or metrics);
 *       otherwise a failure to bind {@code host:port} stops start-up</td></tr>
 *   <tr><td>{@code max-body-bytes}</td><td>65536</td>
 *       <td>largest request body accepted; a larger one is refused with 413 before it is
 *       read</td></tr>
 *   <tr><td>{@code sse-stall-ms}</td><td>5000</td>
 *       <td>an {@code /api/results} client whose queue stays full this long is disconnected, so
 *       its slot frees</td></tr>
 * </table>
 *
 * @param host {@code host}
 * @param port {@code port}
 * @param tokenFile {@code token-file}
 * @param sseQueue {@code sse-queue}
 * @param maxSseClients {@code max-sse-clients}
 * @param enabled {@code enabled}
 * @param maxBodyBytes {@code max-body-bytes}
 * @param sseStallMs {@code sse-stall-ms}
 */
public record HttpSettings(
    String host,
    int port,
    Optional<Path> tokenFile,
    int sseQueue,
    int maxSseClients,
    boolean enabled,
    int maxBodyBytes,
    int sseStallMs) {

  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final int DEFAULT_SSE_STALL_MS = 5_000;

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
    Require.atLeast("http.sse-queue", sseQueue, 1);
    Require.atLeast("http.max-sse-clients", maxSseClients, 1);
    Require.atLeast("http.max-body-bytes", maxBodyBytes, 1);
    Require.atLeast("http.sse-stall-ms", sseStallMs, 1);
  }

  /**
   * Loopback, port 8080, no token (state changes disabled), 64 queued results, 16 clients, enabled,
   * 64 KiB bodies, clients stalled for 5 s disconnected.
   */
  public static HttpSettings defaults() {
    return new HttpSettings(
        "127.0.0.1",
        8080,
        Optional.empty(),
        64,
        16,
        true,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_SSE_STALL_MS);
  }

  /**
   * Parses the {@code http} section; absent keys keep {@link #defaults()}.
   *
   * @throws ConfigException naming the key, what was expected and what was found
   */
  public static HttpSettings parse(ConfigNode n) {
    HttpSettings d = defaults();
    String host = n.string("host", d.host());
    int port = n.integer("port", d.port(), 0, 65535);
    int sseQueue = n.integer("sse-queue", d.sseQueue(), 1, 1 << 16);
    int maxSseClients = n.integer("max-sse-clients", d.maxSseClients(), 1, 1024);
    boolean enabled = n.bool("enabled", d.enabled());
    int maxBodyBytes = n.integer("max-body-bytes", d.maxBodyBytes(), 1, 64 << 20);
    int sseStallMs = n.integer("sse-stall-ms", d.sseStallMs(), 100, 600_000);
    Optional<Path> tokenFile = n.optionalPath("token-file");
    try {
      return new HttpSettings(
          host, port, tokenFile, sseQueue, maxSseClients, enabled, maxBodyBytes, sseStallMs);
    } catch (IllegalArgumentException e) {
      throw n.invalid(e);
    }
  }

  public HttpSettings withHost(String v) {
    return new HttpSettings(
        v, port, tokenFile, sseQueue, maxSseClients, enabled, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withPort(int v) {
    return new HttpSettings(
        host, v, tokenFile, sseQueue, maxSseClients, enabled, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withTokenFile(Path v) {
    return new HttpSettings(
        host, port, Optional.of(v), sseQueue, maxSseClients, enabled, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withSseQueue(int v) {
    return new HttpSettings(
        host, port, tokenFile, v, maxSseClients, enabled, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withMaxSseClients(int v) {
    return new HttpSettings(host, port, tokenFile, sseQueue, v, enabled, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withEnabled(boolean v) {
    return new HttpSettings(
        host, port, tokenFile, sseQueue, maxSseClients, v, maxBodyBytes, sseStallMs);
  }

  public HttpSettings withMaxBodyBytes(int v) {
    return new HttpSettings(host, port, tokenFile, sseQueue, maxSseClients, enabled, v, sseStallMs);
  }

  public HttpSettings withSseStallMs(int v) {
    return new HttpSettings(
        host, port, tokenFile, sseQueue, maxSseClients, enabled, maxBodyBytes, v);
  }
}
