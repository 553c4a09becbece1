package dev.offramp.benchmarks.budget;

import static dev.offramp.benchmarks.proc.ChildProcesses.cpuModel;
import static dev.offramp.benchmarks.proc.ChildProcesses.freePort;
import static dev.offramp.benchmarks.proc.ChildProcesses.start;
import static dev.offramp.benchmarks.proc.ChildProcesses.stop;
import static dev.offramp.benchmarks.proc.ChildProcesses.waitForPort;
import static dev.offramp.benchmarks.proc.ChildProcesses.which;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Budget mode against a competing load, black-box: the real daemon ({@code ./offramp run}) on the
 * looped demo video, paced at the target ({@code --max-fps}) with {@code budget.target-fps} set to
 * the same target, publishing to a real Mosquitto, read back with {@code mosquitto_sub}. A run has
 * three phases: calm, loaded ({@code stress-ng --cpu N}), calm again. Per window of results it
 * reports the achieved frame rate; the tracking error is the mean of |fps − target| / target over
 * the windows (per phase and overall), and switches per minute count profile changes in the
 * results. A second run with budget mode off (the most accurate profile throughout) under the same
 * load pattern is the baseline, unless {@code --no-baseline}.
 *
 * <p>The target defaults to {@code --target-fraction} (0.6) of the throughput a short unpaced
 * calibration run reaches on this machine, so the figure means the same on any board; at most 1000
 * fps, the daemon's pacing limit.
 *
 * <p>Usage: {@code ./offramp bench budget [--target-fps F] [--target-fraction X] [--calm-s S]
 * [--load-s S] [--after-s S] [--window-s S] [--cpus N] [--no-baseline] [--json FILE]}. Run from the
 * repository root; needs {@code mosquitto}, {@code mosquitto_sub} and {@code stress-ng}.
 */
public final class BudgetBench {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String BUNDLE = "demo/fashion-resnet18/bundle";
  private static final String SOURCE = "demo/frames/fashion-test.mp4";
  private static final double MAX_FPS = 1000;

  private BudgetBench() {}

  /** Parsed arguments with their defaults. */
  record Args(
      double targetFps,
      double targetFraction,
      int calmS,
      int loadS,
      int afterS,
      double windowS,
      int cpus,
      boolean baseline,
      Path json) {
    static Args parse(String[] argv) {
      double target = 0;
      double fraction = 0.6;
      int calm = 20;
      int load = 40;
      int after = 20;
      double window = 2;
      int cpus = 1;
      boolean baseline = true;
      Path json = Path.of("benchmarks/results/budget.json");
      for (int i = 0; i < argv.length; i++) {
        String v = i + 1 < argv.length ? argv[i + 1] : "";
        switch (argv[i]) {
          case "--target-fps" -> target = Double.parseDouble(v);
          case "--target-fraction" -> fraction = Double.parseDouble(v);
          case "--calm-s" -> calm = Integer.parseInt(v);
          case "--load-s" -> load = Integer.parseInt(v);
          case "--after-s" -> after = Integer.parseInt(v);
          case "--window-s" -> window = Double.parseDouble(v);
          case "--cpus" -> cpus = Integer.parseInt(v);
          case "--json" -> json = Path.of(v);
          case "--no-baseline" -> {
            baseline = false;
            i--;
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option '"
                      + argv[i]
                      + "'; expected --target-fps F --target-fraction X --calm-s S --load-s S"
                      + " --after-s S --window-s S --cpus N --no-baseline --json FILE");
        }
        i++;
      }
      if (target < 0 || target > MAX_FPS || !(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            "expected 0 < --target-fps <= 1000 (the daemon's --max-fps range; or leave it out) and"
                + " 0 < --target-fraction <= 1; found "
                + target
                + ", "
                + fraction);
      }
      if (calm < 1 || load < 1 || after < 1 || !(window > 0) || cpus < 1) {
        throw new IllegalArgumentException(
            "expected phases of at least 1 s, a window > 0 and --cpus >= 1; found calm "
                + calm
                + ", load "
                + load
                + ", after "
                + after
                + ", window "
                + window
                + ", cpus "
                + cpus);
      }
      return new Args(target, fraction, calm, load, after, window, cpus, baseline, json);
    }
  }

  /** One result as received: when, and under which profile. */
  record Arrival(long nanos, String profile) {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    String stress = which("stress-ng", "sudo apt-get install stress-ng");
    Path tmp = Files.createTempDirectory("offramp-budget");
    int port = freePort();
    Path conf = tmp.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n");
    Process broker =
        start(List.of(which("mosquitto", "sudo apt-get install mosquitto"), "-c", conf.toString()));
    try {
      waitForPort(port);
      double target = args.targetFps();
      double calibrated = 0;
      if (target == 0) {
        calibrated = calibrate(tmp, port);
        // The daemon paces at most 1000 fps (--max-fps).
        target = Math.min(MAX_FPS, Math.max(1, Math.round(calibrated * args.targetFraction())));
        System.err.printf(
            Locale.ROOT,
            "budget: unpaced throughput %.0f fps; target %.0f fps%n",
            calibrated,
            target);
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("bundle", BUNDLE);
      out.put("source", SOURCE);
      out.put("target_fps", target);
      out.put("calibrated_unpaced_fps", calibrated);
      out.put("stress", "stress-ng --cpu " + args.cpus());
      ObjectNode phases = out.putObject("phases_s");
      phases.put("calm", args.calmS());
      phases.put("load", args.loadS());
      phases.put("after", args.afterS());
      out.put("window_s", args.windowS());
      out.set("budget", run(tmp.resolve("on"), port, args, target, true, stress));
      if (args.baseline()) {
        out.set("baseline_budget_off", run(tmp.resolve("off"), port, args, target, false, stress));
      }
      ObjectNode machine = out.putObject("machine");
      machine.put("cores", Runtime.getRuntime().availableProcessors());
      machine.put("cpu", cpuModel());
      machine.put("jdk", System.getProperty("java.version"));
      machine.put("date", java.time.LocalDate.now().toString());
      Path parent = args.json().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      JSON.writeValue(args.json().toFile(), out);
      System.out.println(JSON.writeValueAsString(out));
    } finally {
      stop(broker);
    }
  }

  /** Unpaced throughput of the daemon on this machine, over 6 s after 4 s of warm-up. */
  private static double calibrate(Path tmp, int port) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("calibrate"));
    Process sub = subscribe(port, "cal");
    Process daemon = daemon(dir, port, "cal", 0, null);
    try {
      Reader reader = new Reader(sub);
      reader.start();
      reader.awaitFirst(60);
      Thread.sleep(4_000);
      int n0 = reader.count();
      long t0 = System.nanoTime();
      Thread.sleep(6_000);
      return (reader.count() - n0) * 1e9 / (System.nanoTime() - t0);
    } finally {
      stop(daemon);
      stop(sub);
    }
  }

  private static ObjectNode run(
      Path dir, int port, Args args, double target, boolean budget, String stress)
      throws Exception {
    Files.createDirectories(dir);
    Path config = null;
    if (budget) {
      config =
          Files.writeString(
              dir.resolve("config.yaml"),
              String.format(
                  Locale.ROOT,
                  "budget: {target-fps: %s, dwell-s: 5, hysteresis: 0.1, interval: 500ms}%n",
                  target));
    }
    String device = budget ? "on" : "off";
    Process sub = subscribe(port, device);
    Process daemon = daemon(dir, port, device, target, config);
    Process load = null;
    try {
      Reader reader = new Reader(sub);
      reader.start();
      reader.awaitFirst(60);
      Thread.sleep(3_000); // warm-up
      long t0 = System.nanoTime();
      Thread.sleep(args.calmS() * 1000L);
      long loadStart = System.nanoTime();
      load =
          start(
              List.of(
                  stress, "--cpu", Integer.toString(args.cpus()), "--timeout", args.loadS() + "s"));
      Thread.sleep(args.loadS() * 1000L);
      stop(load);
      long loadEnd = System.nanoTime();
      Thread.sleep(args.afterS() * 1000L);
      long end = System.nanoTime();
      ObjectNode o =
          summarize(reader.arrivals(), t0, loadStart, loadEnd, end, target, args.windowS());
      // The controller's own decisions (state/budget): what it measured and predicted, and why.
      ArrayNode decisions = o.putArray("decisions");
      reader.decisions().forEach(decisions::add);
      return o;
    } finally {
      if (load != null) {
        stop(load);
      }
      stop(daemon);
      stop(sub);
    }
  }

  /** Per-window fps, tracking error per phase, switches per minute, profiles used. */
  static ObjectNode summarize(
      List<Arrival> arrivals,
      long t0,
      long loadStart,
      long loadEnd,
      long end,
      double target,
      double windowS) {
    long window = (long) (windowS * 1e9);
    ObjectNode o = JSON.createObjectNode();
    ArrayNode windows = o.putArray("windows");
    double[] errSum = new double[3];
    int[] errN = new int[3];
    for (long w = t0; w + window <= end; w += window) {
      long from = w;
      long to = w + window;
      long count = arrivals.stream().filter(a -> a.nanos() >= from && a.nanos() < to).count();
      double fps = count / windowS;
      int phase = from < loadStart ? 0 : from < loadEnd ? 1 : 2;
      double err = Math.abs(fps - target) / target;
      errSum[phase] += err;
      errN[phase]++;
      ObjectNode n = windows.addObject();
      n.put("t_s", Math.round((from - t0) / 1e8) / 10.0);
      n.put("phase", new String[] {"calm", "load", "after"}[phase]);
      n.put("fps", fps);
    }
    ObjectNode tracking = o.putObject("tracking_error");
    String[] names = {"calm", "load", "after"};
    double all = 0;
    int allN = 0;
    for (int p = 0; p < 3; p++) {
      tracking.put(names[p], errN[p] == 0 ? Double.NaN : errSum[p] / errN[p]);
      all += errSum[p];
      allN += errN[p];
    }
    tracking.put("overall", allN == 0 ? Double.NaN : all / allN);
    int switches = 0;
    String last = null;
    List<String> sequence = new ArrayList<>();
    java.util.Map<String, Integer> frames = new java.util.TreeMap<>();
    for (Arrival a : arrivals) {
      if (a.nanos() < t0 || a.nanos() >= end) {
        continue;
      }
      frames.merge(a.profile(), 1, Integer::sum);
      if (last != null && !last.equals(a.profile())) {
        switches++;
        sequence.add(String.format(Locale.ROOT, "%.1fs:%s", (a.nanos() - t0) / 1e9, a.profile()));
      }
      last = a.profile();
    }
    double minutes = (end - t0) / 60e9;
    o.put("switches", switches);
    o.put("switches_per_minute", switches / minutes);
    ArrayNode seq = o.putArray("switch_sequence");
    sequence.forEach(seq::add);
    ObjectNode fr = o.putObject("frames_per_profile");
    frames.forEach(fr::put);
    return o;
  }

  /** Reads {@code mosquitto_sub} output on its own thread, keeping each result's arrival. */
  private static final class Reader extends Thread {
    private final Process sub;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final List<JsonNode> decisions = new ArrayList<>();

    Reader(Process sub) {
      super("budget-bench-reader");
      setDaemon(true);
      this.sub = sub;
    }

    @Override
    public void run() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          long now = System.nanoTime();
          int space = line.indexOf(' ');
          String topic = space < 0 ? line : line.substring(0, space);
          JsonNode r = JSON.readTree(space < 0 ? "{}" : line.substring(space + 1));
          synchronized (arrivals) {
            if (topic.endsWith("/state/budget")) {
              decisions.add(r);
            } else {
              arrivals.add(new Arrival(now, r.path("profile").asText("?")));
            }
            arrivals.notifyAll();
          }
        }
      } catch (IOException e) {
        // The subscriber was stopped.
      }
    }

    int count() {
      synchronized (arrivals) {
        return arrivals.size();
      }
    }

    List<JsonNode> decisions() {
      synchronized (arrivals) {
        return List.copyOf(decisions);
      }
    }

    List<Arrival> arrivals() {
      synchronized (arrivals) {
        return List.copyOf(arrivals);
      }
    }

    void awaitFirst(int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      synchronized (arrivals) {
        while (arrivals.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException(
                "no result within " + seconds + " s; is the daemon built (./offramp build)?");
          }
          arrivals.wait(Math.max(1, left / 1_000_000L));
        }
      }
    }
  }

  private static Process subscribe(int port, String device) throws IOException {
    return start(
        List.of(
            which("mosquitto_sub", "sudo apt-get install mosquitto-clients"),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-v",
            "-t",
            "offramp/" + device + "/+/result",
            "-t",
            "offramp/" + device + "/state/budget"));
  }

  private static Process daemon(Path dir, int port, String device, double maxFps, Path config)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "./offramp",
                "run",
                "--bundle",
                BUNDLE,
                "--source",
                SOURCE,
                "--loop",
                "--device-id",
                device,
                "--mqtt-url",
                "tcp://127.0.0.1:" + port,
                "--http-port",
                "0",
                "--state-dir",
                dir.resolve("state").toString()));
    if (maxFps > 0) {
      cmd.addAll(List.of("--max-fps", String.format(Locale.ROOT, "%s", maxFps)));
    }
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon.log").toFile())
        .start();
  }
}
