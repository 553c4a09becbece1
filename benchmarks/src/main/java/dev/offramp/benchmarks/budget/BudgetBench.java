package dev.offramp.benchmarks.budget;

import static dev.offramp.benchmarks.proc.ChildProcesses.broker;
import static dev.offramp.benchmarks.proc.ChildProcesses.start;
import static dev.offramp.benchmarks.proc.ChildProcesses.stop;
import static dev.offramp.benchmarks.proc.ChildProcesses.which;

import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.proc.ChildProcesses;
import dev.offramp.benchmarks.proc.ChildProcesses.Broker;
import dev.offramp.benchmarks.report.HostLine;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.cli.ToolCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
 * <p>Usage (picocli, {@link BenchFlags.Budget}): {@code ./offramp bench budget [--target-fps F]
 * [--target-fraction X] [--calm-s S] [--load-s S] [--after-s S] [--window-s S] [--cpus N]
 * [--no-baseline] [--json FILE]}. Run from the repository root; needs {@code mosquitto}, {@code
 * mosquitto_sub} and {@code stress-ng}.
 */
@Command(
    name = "budget",
    description =
        "Budget mode against a competing CPU load: the real daemon paced at a target frame rate,"
            + " tracking error and profile switches per phase (calm, loaded, calm), against budget"
            + " mode off.")
public final class BudgetBench extends ToolCommand {
  private static final String BUNDLE = "demo/fashion-resnet18/bundle";
  private static final String SOURCE = "demo/frames/fashion-test.mp4";
  private static final double MAX_FPS = 1000;

  @Mixin BenchFlags.Budget flags;

  /** The options as one validated value. */
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
    Args {
      if (targetFps < 0 || targetFps > MAX_FPS || !(targetFraction > 0 && targetFraction <= 1)) {
        throw new IllegalArgumentException(
            "expected 0 < --target-fps <= 1000 (the daemon's --max-fps range; or leave it out) and"
                + " 0 < --target-fraction <= 1; found "
                + targetFps
                + ", "
                + targetFraction);
      }
      if (calmS < 1 || loadS < 1 || afterS < 1 || !(windowS > 0) || cpus < 1) {
        throw new IllegalArgumentException(
            "expected phases of at least 1 s, a window > 0 and --cpus >= 1; found calm "
                + calmS
                + ", load "
                + loadS
                + ", after "
                + afterS
                + ", window "
                + windowS
                + ", cpus "
                + cpus);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    run(
        new Args(
            flags.targetFps,
            flags.targetFraction,
            flags.calmS,
            flags.loadS,
            flags.afterS,
            flags.windowS,
            flags.cpus,
            !flags.noBaseline,
            flags.json));
    return 0;
  }

  private static void run(Args args) throws Exception {
    String stress = which("stress-ng", "sudo apt-get install stress-ng");
    Path tmp = Files.createTempDirectory("offramp-budget");
    Broker broker = broker(tmp);
    int port = broker.port();
    try {
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
      BudgetReport.Run on = run(tmp.resolve("on"), port, args, target, true, stress);
      BudgetReport.Run off =
          args.baseline() ? run(tmp.resolve("off"), port, args, target, false, stress) : null;
      BudgetReport out =
          new BudgetReport(
              BUNDLE,
              SOURCE,
              target,
              calibrated,
              "stress-ng --cpu " + args.cpus(),
              new BudgetReport.Phases(args.calmS(), args.loadS(), args.afterS()),
              args.windowS(),
              on,
              off,
              HostLine.here());
      Json.write(args.json(), out);
      System.out.print(Json.text(out));
    } finally {
      stop(broker.process());
    }
  }

  /** Unpaced throughput of the daemon on this machine, over 6 s after 4 s of warm-up. */
  private static double calibrate(Path tmp, int port) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("calibrate"));
    Process sub = subscribe(port, "cal");
    Process daemon = daemon(dir, port, "cal", 0, null);
    try {
      ResultReader reader = new ResultReader(sub);
      reader.start();
      reader.awaitFirst(60, dir);
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

  private static BudgetReport.Run run(
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
      ResultReader reader = new ResultReader(sub);
      reader.start();
      reader.awaitFirst(60, dir);
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
      return summarize(reader.arrivals(), t0, loadStart, loadEnd, end, target, args.windowS())
          .withDecisions(reader.decisions());
    } finally {
      if (load != null) {
        stop(load);
      }
      stop(daemon);
      stop(sub);
    }
  }

  /** Per-window fps, tracking error per phase, switches per minute, profiles used. */
  static BudgetReport.Run summarize(
      List<ResultReader.Arrival> arrivals,
      long t0,
      long loadStart,
      long loadEnd,
      long end,
      double target,
      double windowS) {
    long window = (long) (windowS * 1e9);
    String[] names = {"calm", "load", "after"};
    List<BudgetReport.Window> windows = new ArrayList<>();
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
      windows.add(new BudgetReport.Window(Math.round((from - t0) / 1e8) / 10.0, names[phase], fps));
    }
    double[] tracking = new double[3];
    double all = 0;
    int allN = 0;
    for (int p = 0; p < 3; p++) {
      tracking[p] = errN[p] == 0 ? Double.NaN : errSum[p] / errN[p];
      all += errSum[p];
      allN += errN[p];
    }
    int switches = 0;
    String last = null;
    List<String> sequence = new ArrayList<>();
    Map<String, Integer> frames = new TreeMap<>();
    for (ResultReader.Arrival a : arrivals) {
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
    return new BudgetReport.Run(
        windows,
        new BudgetReport.Tracking(
            tracking[0], tracking[1], tracking[2], allN == 0 ? Double.NaN : all / allN),
        switches,
        switches / minutes,
        sequence,
        frames,
        List.of());
  }

  private static Process subscribe(int port, String device) throws IOException {
    return ChildProcesses.subscribe(
        port,
        "-v",
        "-t",
        "offramp/" + device + "/+/result",
        "-t",
        "offramp/" + device + "/state/budget");
  }

  private static Process daemon(Path dir, int port, String device, double maxFps, Path config)
      throws IOException {
    List<String> extra = new ArrayList<>();
    if (maxFps > 0) {
      extra.addAll(List.of("--max-fps", String.format(Locale.ROOT, "%s", maxFps)));
    }
    if (config != null) {
      extra.addAll(List.of("--config", config.toString()));
    }
    return ChildProcesses.daemon(dir, port, device, BUNDLE, SOURCE, extra);
  }
}
