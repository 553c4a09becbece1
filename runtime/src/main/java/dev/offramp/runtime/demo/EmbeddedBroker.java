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
 * machine without one. In memory only, anonymous, no websocket, no telemetry. {@link #close()}
 * stops it; idempotent. Thread-safe.
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
