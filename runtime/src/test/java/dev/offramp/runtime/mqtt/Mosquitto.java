package dev.offramp.runtime.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Mosquitto broker on a free loopback port, started by the test with a generated config
 * (persistence on, so persistent subscriber sessions survive a {@link #stop()}/{@link #start()}).
 */
final class Mosquitto implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private final String extraConfig;
  private Process process;

  Mosquitto(Path dir, String extraConfig) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.extraConfig = extraConfig;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  Mosquitto start() throws IOException, InterruptedException {
    Path conf = dir.resolve("mosquitto.conf");
    Files.createDirectories(dir.resolve("db"));
    String listener =
        extraConfig.contains("listener ")
            ? ""
            : "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
    Files.writeString(
        conf,
        listener
            + extraConfig.replace("${port}", Integer.toString(port))
            // Started as root, mosquitto drops to user "mosquitto", which cannot read @TempDir
            // (mode 700); as any other user this line has no effect.
            + "\nuser root\npersistence true\npersistence_location "
            + dir.resolve("db")
            + "/\nmax_queued_messages 100000\nmax_inflight_messages 100\nlog_dest file "
            + dir.resolve("mosquitto.log")
            + "\n");
    process =
        new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mosquitto exited with "
                + process.exitValue()
                + ": "
                + Files.readString(dir.resolve("mosquitto.out")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
  }

  /** SIGTERM: mosquitto saves its persistence database and exits. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * A {@code mosquitto_sub} with a persistent session ({@code -c}, QoS 1) writing each payload of
   * {@code topic} as a line to {@code out}: an independent client, not the code under test, that
   * reconnects by itself and gets what the broker queued for it.
   */
  Process persistentSubscriber(String clientId, String topic, Path out) throws IOException {
    return new ProcessBuilder(
            "mosquitto_sub",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-q",
            "1",
            "-c",
            "-i",
            clientId,
            "-t",
            topic)
        .redirectOutput(out.toFile())
        .redirectErrorStream(true)
        .start();
  }

  /** The JSON payloads a {@link #persistentSubscriber} wrote so far, one per line. */
  static List<String> payloads(Path out) {
    try {
      return Files.readAllLines(out).stream()
          .filter(l -> l.startsWith("{") && l.endsWith("}"))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One broker for a whole test class: {@code @RegisterExtension static final PerClass broker}. */
  static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private Mosquitto broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      dir = Files.createTempDirectory("mosquitto-");
      broker = new Mosquitto(dir, "").start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
      broker.close();
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }

    int port() {
      return broker.port();
    }

    String url() {
      return broker.url();
    }
  }
}
