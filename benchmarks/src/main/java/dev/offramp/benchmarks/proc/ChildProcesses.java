package dev.offramp.benchmarks.proc;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the black-box benchmarks (soak, budget) need to run the real daemon beside a real Mosquitto:
 * finding programs, free loopback ports, starting and stopping child processes, and naming the CPU
 * in a result file. Stateless.
 */
public final class ChildProcesses {
  private ChildProcesses() {}

  /** The first {@code model name} of /proc/cpuinfo, or {@code unknown}. */
  public static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Finds a program on PATH, then in the sbin directories Debian puts mosquitto in.
   *
   * @param install what to run when it is missing, quoted in the error
   */
  public static String which(String name, String install) {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin"));
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new IllegalStateException(
        name + " not found on PATH or in /usr/sbin; install it: " + install);
  }

  /** {@link #which} for the Mosquitto programs. */
  public static String mosquitto(String name) {
    return which(name, "sudo apt-get install mosquitto mosquitto-clients");
  }

  /**
   * Starts {@code command} with standard error discarded; standard output is readable for {@code
   * mosquitto_sub} (the results) and discarded for everything else.
   */
  public static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(new ArrayList<>(command))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectOutput(
            command.get(0).endsWith("mosquitto_sub")
                ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  public static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** A loopback port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits up to 10 s until something accepts connections on the loopback {@code port}. */
  public static void waitForPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s");
  }
}
