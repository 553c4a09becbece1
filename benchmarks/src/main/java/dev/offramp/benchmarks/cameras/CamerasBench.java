package dev.offramp.benchmarks.cameras;

import static dev.offramp.benchmarks.proc.ChildProcesses.broker;
import static dev.offramp.benchmarks.proc.ChildProcesses.daemon;
import static dev.offramp.benchmarks.proc.ChildProcesses.rssKiB;
import static dev.offramp.benchmarks.proc.ChildProcesses.stop;
import static dev.offramp.benchmarks.proc.ChildProcesses.subscribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.proc.ChildProcesses;
import dev.offramp.benchmarks.proc.ChildProcesses.Broker;
import dev.offramp.benchmarks.report.HostLine;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.benchmarks.soak.SoakBench;
import dev.offramp.exporter.cli.ToolCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./offramp bench cameras}: N cameras in one daemon against N daemons of one camera each,
 * black-box. Each arrangement runs the real daemon(s) ({@code ./offramp run}) on the same looped
 * video per camera and publishes to one real Mosquitto; results are read back with {@code
 * mosquitto_sub}. After every camera has published and a warm-up, a measuring window counts the
 * results (throughput, all cameras and per camera), takes their {@code latency_ms.total} (capture
 * to publish) and sums the daemons' RSS.
 *
 * <p>Usage: {@code ./offramp bench cameras [--cameras N] [--warmup-s S] [--measure-s S] [--max-fps
 * F] [--bundle DIR] [--source SRC] [--json FILE]}; run from the repository root.
 */
@Command(
    name = "cameras",
    description =
        "N cameras in one daemon vs N daemons of one camera (same bundle, same video, real"
            + " Mosquitto): throughput, p99 capture-to-publish latency, total RSS.")
public final class CamerasBench extends ToolCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin BenchFlags.Cameras flags;

  /** The whole run: both arrangements, side by side. */
  record Report(
      String bundle,
      String source,
      int cameras,
      double maxFps,
      int warmupSeconds,
      int measureSeconds,
      Arrangement oneDaemon,
      Arrangement daemonPerCamera,
      HostLine machine) {}

  /**
   * One arrangement's figures over the measuring window.
   *
   * @param daemons daemon processes
   * @param results results received in the window, all cameras
   * @param throughputFps results per second, all cameras
   * @param perCameraFps results per second of each camera (device/camera)
   * @param latencyMs capture to publish ({@code latency_ms.total})
   * @param rssMib the daemons' resident sets summed, at the window's start and end
   */
  record Arrangement(
      int daemons,
      long results,
      double throughputFps,
      Map<String, Double> perCameraFps,
      Latency latencyMs,
      Rss rssMib) {

    /** The figures of {@code w}, a window of {@code seconds}, and the RSS readings in KiB. */
    static Arrangement of(int daemons, Window w, double seconds, long rssWarmKiB, long rssEndKiB) {
      double[] lat = w.latencies();
      Map<String, Double> perCamera = new TreeMap<>();
      w.perCamera().forEach((k, v) -> perCamera.put(k, v / seconds));
      return new Arrangement(
          daemons,
          lat.length,
          lat.length / seconds,
          perCamera,
          new Latency(
              SoakBench.percentile(lat, 50),
              SoakBench.percentile(lat, 99),
              java.util.Arrays.stream(lat).average().orElse(Double.NaN)),
          new Rss(rssWarmKiB / 1024.0, rssEndKiB / 1024.0));
    }
  }

  /** Capture-to-publish latency percentiles and mean. */
  record Latency(double p50, double p99, double mean) {}

  /** Summed resident set of the daemons. */
  record Rss(double afterWarmup, double end) {}

  @Override
  public Integer call() throws Exception {
    if (flags.cameras < 1 || flags.warmupS < 0 || flags.measureS < 1) {
      throw new IllegalArgumentException(
          "expected --cameras >= 1, --warmup-s >= 0, --measure-s >= 1; found "
              + flags.cameras
              + ", "
              + flags.warmupS
              + ", "
              + flags.measureS);
    }
    Path tmp = Files.createTempDirectory("offramp-cameras");
    Broker broker = broker(tmp);
    Process sub = subscribe(broker.port(), "-t", "offramp/+/+/result");
    Collector collector = new Collector(sub);
    try {
      Arrangement one = measure(collector, oneDaemon(tmp, broker.port()), tmp, "one");
      Arrangement many = measure(collector, daemonPerCamera(tmp, broker.port()), tmp, "many");
      Report report =
          new Report(
              flags.input.bundle,
              flags.input.source,
              flags.cameras,
              flags.maxFps,
              flags.warmupS,
              flags.measureS,
              one,
              many,
              HostLine.here());
      Json.write(flags.json, report);
      out().print(Json.text(report));
      return 0;
    } finally {
      stop(sub);
      stop(broker.process());
    }
  }

  private String entry(int camera) {
    return "{camera: c"
        + camera
        + ", uri: \""
        + flags.input.source
        + "\", loop: true, max-fps: "
        + flags.maxFps
        + "}";
  }

  /** One daemon, device {@code one}, with a {@code sources:} list of N cameras. */
  private List<Process> oneDaemon(Path tmp, int port) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("one"));
    StringBuilder yaml = new StringBuilder("sources:\n");
    for (int c = 0; c < flags.cameras; c++) {
      yaml.append("  - ").append(entry(c)).append('\n');
    }
    Path conf = Files.writeString(dir.resolve("offramp.yaml"), yaml);
    return List.of(
        daemon(dir, port, "one", flags.input.bundle, List.of("--config", conf.toString())));
  }

  /** N daemons, devices {@code many0…}, one camera each. */
  private List<Process> daemonPerCamera(Path tmp, int port) throws IOException {
    List<Process> out = new ArrayList<>();
    for (int c = 0; c < flags.cameras; c++) {
      Path dir = Files.createDirectories(tmp.resolve("many" + c));
      Path conf = Files.writeString(dir.resolve("offramp.yaml"), "source: " + entry(c) + "\n");
      out.add(
          daemon(dir, port, "many" + c, flags.input.bundle, List.of("--config", conf.toString())));
    }
    return out;
  }

  private Arrangement measure(Collector collector, List<Process> daemons, Path tmp, String device)
      throws Exception {
    try {
      String logs = "their output is in " + ChildProcesses.log(tmp.resolve(device + "*"));
      collector.awaitCameras(device, flags.cameras, 120, logs);
      Thread.sleep(TimeUnit.SECONDS.toMillis(flags.warmupS));
      long rssWarm = rss(daemons, logs);
      Window w = collector.open();
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(flags.measureS));
      collector.close(w);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rssEnd = rss(daemons, logs);
      return Arrangement.of(daemons.size(), w, seconds, rssWarm, rssEnd);
    } finally {
      for (Process p : daemons) {
        stop(p);
      }
    }
  }

  private static long rss(List<Process> daemons, String logs) throws IOException {
    long kib = 0;
    for (Process p : daemons) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "a daemon ended early (exit " + p.exitValue() + "); " + logs);
      }
      kib += rssKiB(p.pid());
    }
    return kib;
  }

  /** Results received while open: latencies and counts per device/camera. */
  static final class Window {
    private final List<Double> latencies = new ArrayList<>();
    private final Map<String, Long> perCamera = new TreeMap<>();

    synchronized void add(String key, double latencyMs) {
      latencies.add(latencyMs);
      perCamera.merge(key, 1L, Long::sum);
    }

    synchronized double[] latencies() {
      return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    synchronized Map<String, Long> perCamera() {
      return new TreeMap<>(perCamera);
    }
  }

  /** Reads {@code mosquitto_sub}'s lines on its own thread into the open window. */
  static final class Collector {
    private final Map<String, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Window open;

    Collector(Process sub) {
      Thread t = new Thread(() -> read(sub), "cameras-bench-reader");
      t.setDaemon(true);
      t.start();
    }

    private void read(Process sub) {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode r = JSON.readTree(line);
          String key = r.get("device").asText() + "/" + r.get("camera").asText();
          seen.putIfAbsent(key, true);
          Window w = open;
          if (w != null) {
            w.add(key, r.get("latency_ms").get("total").asDouble());
          }
        }
      } catch (IOException e) {
        System.err.println("cameras bench: reading results failed: " + e.getMessage());
      }
    }

    /** Waits until {@code n} cameras of devices starting with {@code device} have published. */
    void awaitCameras(String device, int n, int seconds, String logs) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (seen.keySet().stream().filter(k -> k.startsWith(device)).count() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "expected results from "
                  + n
                  + " cameras of "
                  + device
                  + " within "
                  + seconds
                  + " s, found "
                  + seen.keySet()
                  + "; "
                  + logs);
        }
        Thread.sleep(100);
      }
    }

    Window open() {
      Window w = new Window();
      open = w;
      return w;
    }

    void close(Window w) {
      if (open == w) {
        open = null;
      }
    }
  }
}
