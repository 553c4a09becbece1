package dev.offramp.runtime.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * An in-process MQTT 3.1.1 broker (Moquette) on a loopback port, for {@code offramp demo} on a
 * machine without one. In memory only, anonymous, no websocket, no telemetry. It accepts a client
 * that connects without a client id (MQTT 3.1.1, 3.1.3.1: the server assigns one), which is what
 * {@code mosquitto_sub} sends unless given {@code -i}: the subscribe line the demo prints must work
 * as pasted. {@link #close()} stops it; idempotent. Thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;
  private boolean closed;

  private EmbeddedBroker(int port) {
    this.port = port;
  }

  /**
   * Starts the broker.
   *
   * @param port the loopback port; 0 picks a free one
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static EmbeddedBroker start(int port) {
    int chosen = port == 0 ? freeLoopbackPort() : port;
    EmbeddedBroker broker = new EmbeddedBroker(chosen);
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", String.valueOf(chosen));
    p.setProperty("websocket_port", "disabled");
    p.setProperty("allow_anonymous", "true");
    // Moquette refuses an empty client id ("identifier rejected") unless told otherwise.
    p.setProperty("allow_zero_byte_client_id", "true");
    p.setProperty("persistence_enabled", "false");
    p.setProperty("telemetry_enabled", "false");
    p.setProperty("use_metrics", "false");
    p.setProperty("use_bugsnag", "false");
    try {
      broker.server.startServer(new MemoryConfig(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the demo MQTT broker on 127.0.0.1:" + chosen, e);
    }
    return broker;
  }

  /** The port clients connect to, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code tcp://127.0.0.1:PORT}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /**
   * The shell command that prints every message under {@code topicFilter} from this broker, with
   * the Debian {@code mosquitto-clients} tool, e.g. {@code mosquitto_sub -h 127.0.0.1 -p 1883 -t
   * 'offramp/#' -v}.
   *
   * @param topicFilter an MQTT topic filter without a single quote (it is quoted for the shell)
   */
  public String subscribeCommand(String topicFilter) {
    if (topicFilter.isEmpty() || topicFilter.indexOf('\'') >= 0) {
      throw new IllegalArgumentException(
          "topic filter: expected a non-empty filter without a single quote, found '"
              + topicFilter
              + "'");
    }
    return "mosquitto_sub -h 127.0.0.1 -p " + port + " -t '" + topicFilter + "' -v";
  }

  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.stopServer();
    }
  }
}
