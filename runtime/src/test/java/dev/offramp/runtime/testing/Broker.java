package dev.offramp.runtime.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto on a free loopback port, started and stopped by the test (same port each time).
 */
public final class Broker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  public Broker(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.port = Media.freePort();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public Broker start() throws Exception {
    Path conf = dir.resolve("mosquitto.conf");
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(
        conf,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\npersistence true\n"
            + "persistence_location "
            + dir.resolve("db")
            + "/\nmax_queued_messages 100000\n"
            + "log_dest file "
            + dir.resolve("mosquitto.log")
            + "\n");
    process =
        new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port);
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
