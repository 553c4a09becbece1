package dev.offramp.benchmarks.proc;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the black-box benchmarks (soak, budget) need to run the real daemon beside a real Mosquitto:
 * finding programs, free loopback ports, starting and stopping child processes, and naming the CPU
 * in a result file ({@code report.HostLine}). Stateless.
 */
public final class ChildProcesses {
  private ChildProcesses() {}

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

  /**
   * Starts a Mosquitto broker on a free loopback port (anonymous, no persistence; its configuration
   * file goes into {@code dir}) and waits until it listens.
   *
   * @return the broker: stop its process when done
   */
  public static Broker broker(Path dir) throws IOException, InterruptedException {
    int port = freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n");
    Process p = start(List.of(mosquitto("mosquitto"), "-c", conf.toString()));
    try {
      waitForPort(port);
    } catch (InterruptedException | RuntimeException e) {
      stop(p);
      throw e;
    }
    return new Broker(port, p);
  }

  /** A running broker and the loopback port it listens on. */
  public record Broker(int port, Process process) {}

  /** {@code mosquitto_sub} against the loopback broker on {@code port}, with {@code args}. */
  public static Process subscribe(int port, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(mosquitto("mosquitto_sub"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    return start(cmd);
  }

  /**
   * The real daemon, {@code ./offramp run} from the repository root, on a looped {@code source}
   * publishing as {@code device} to the broker on {@code port}, no HTTP port, its state in {@code
   * dir/state} and its output in {@code dir/daemon.log}.
   *
   * @param extra further flags (a configuration file, a frame-rate cap)
   */
  public static Process daemon(
      Path dir, int port, String device, String bundle, String source, List<String> extra)
      throws IOException {
    List<String> flags = new ArrayList<>(List.of("--source", source, "--loop"));
    flags.addAll(extra);
    return daemon(dir, port, device, bundle, flags);
  }

  /**
   * The real daemon as {@link #daemon(Path, int, String, String, String, List)} starts it, but with
   * its sources from {@code flags} alone (e.g. {@code --config} naming a {@code sources:} list).
   */
  public static Process daemon(Path dir, int port, String device, String bundle, List<String> flags)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "./offramp",
                "run",
                "--bundle",
                bundle,
                "--device-id",
                device,
                "--mqtt-url",
                "tcp://127.0.0.1:" + port,
                "--http-port",
                "0",
                "--state-dir",
                dir.resolve("state").toString()));
    cmd.addAll(flags);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log(dir).toFile())
        .start();
  }

  /** Where {@link #daemon} writes a daemon's output. */
  public static Path log(Path dir) {
    return dir.resolve("daemon.log");
  }

  /**
   * Names a daemon's log and quotes its last {@code lines} lines, for an error that says why the
   * daemon did not answer (the log stays: the benchmarks leave their temporary directory).
   */
  public static String logTail(Path dir, int lines) {
    Path log = log(dir);
    List<String> all;
    try {
      // Leniently: a daemon killed mid-write or native output can leave bytes that are not UTF-8.
      all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return "its log " + log + " cannot be read: " + e.getMessage();
    }
    List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
    return "the last "
        + tail.size()
        + " line(s) of its log "
        + log
        + ":\n  "
        + String.join("\n  ", tail);
  }

  /** A process's resident set ({@code VmRSS}), KiB. */
  public static long rssKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
