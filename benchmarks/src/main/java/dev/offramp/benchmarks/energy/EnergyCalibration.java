package dev.offramp.benchmarks.energy;

import dev.offramp.benchmarks.report.Json;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exec.Provider;
import dev.offramp.runtime.energy.EnergySettings.Board;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * {@code offramp bench --calibrate-energy}: measures windows of known duration and MAC count with a
 * real meter (idle, and the bundle stopped at each stage) and fits {@code P_idle} and {@code e_mac}
 * by least squares ({@link EnergyFit}). Without a meter it fits nothing: it says so and prints the
 * documented per-board defaults. Stateless.
 */
public final class EnergyCalibration {
  private EnergyCalibration() {}

  /**
   * Runs the calibration.
   *
   * @param bundle the bundle whose stages make the workloads
   * @param meter the measuring counter, when one is readable
   * @param probed what was probed, for the message when none is
   * @param out where to write the config snippet (stdout when empty)
   * @param windowSeconds length of each measured window
   * @param repeats windows per workload
   * @return the exit code (0: fitted, or no meter and defaults printed)
   */
  public static int run(
      Path bundle,
      Optional<EnergyCounter> meter,
      String probed,
      Optional<Path> out,
      double windowSeconds,
      int repeats,
      int threads,
      PrintWriter stdout) {
    if (meter.isEmpty()) {
      stdout.printf(
          "No energy meter is readable here (probed %s), so nothing was measured and no"
              + " coefficients were fitted.%n"
              + "These are the documented per-board defaults of the model E = P_idle*t +"
              + " e_mac*MACs (estimates, not measurements); set the board in the runtime config or"
              + " run this on a board with a meter:%n%n",
          probed);
      stdout.printf("| board | model-idle-watts | model-joules-per-mac |%n|---|---:|---:|%n");
      for (Board b : Board.values()) {
        if (b == Board.AUTO) {
          continue;
        }
        stdout.printf(
            Locale.ROOT, "| %s | %.1f | %.0e |%n", b.configName(), b.idleWatts(), b.joulesPerMac());
      }
      stdout.printf(
          "%n# runtime config (board defaults apply when the model keys are absent)%nenergy:%n"
              + "  meter: model%n  board: auto%n");
      out.ifPresent(
          p -> stdout.printf("%nNot writing %s: there is no fitted result to write.%n", p));
      return 0;
    }
    EnergyCounter m = meter.get();
    Bundle b = Bundle.open(bundle);
    int stages = b.manifest().stages().size();
    List<double[]> rows = new ArrayList<>();
    float[] input = new float[b.manifest().input().elementCount()];
    Random r = new Random(1);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    try (CascadeExecutor ex =
        CascadeExecutor.open(b, new ExecutionOptions(List.of(Provider.CPU), threads, false))) {
      for (int rep = 0; rep < repeats; rep++) {
        rows.add(idle(m, windowSeconds));
        for (int k = 0; k < stages; k++) {
          ExitPolicy policy = k == stages - 1 ? ExitPolicy.neverExit() : ExitPolicy.exitAt(k);
          rows.add(busy(m, ex, input, policy, windowSeconds));
        }
      }
    }
    double[] t = new double[rows.size()];
    double[] macs = new double[rows.size()];
    double[] e = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      t[i] = rows.get(i)[0];
      macs[i] = rows.get(i)[1];
      e[i] = rows.get(i)[2];
    }
    EnergyFit fit = EnergyFit.fit(t, macs, e);
    String yaml =
        fit.yaml(
            String.format(
                Locale.ROOT,
                "fitted by offramp bench --calibrate-energy with %s over %d windows of %.1f s"
                    + " (R^2 %.3f), bundle %s",
                m.method(),
                fit.windows(),
                windowSeconds,
                fit.rSquared(),
                b.manifest().name()));
    if (out.isPresent()) {
      Json.writeString(out.get(), yaml);
      stdout.printf("wrote %s%n", out.get());
    }
    stdout.print(yaml);
    return 0;
  }

  private static double[] idle(EnergyCounter m, double seconds) {
    double e0 = m.joules();
    long t0 = System.nanoTime();
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("energy calibration interrupted", ex);
    }
    long t1 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e9, 0, m.joules() - e0};
  }

  private static double[] busy(
      EnergyCounter m, CascadeExecutor ex, float[] input, ExitPolicy policy, double seconds) {
    double e0 = m.joules();
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    double macs = 0;
    long now;
    do {
      macs += ex.classify(input, policy).macs();
      now = System.nanoTime();
    } while (now < end);
    return new double[] {(now - t0) / 1e9, macs, m.joules() - e0};
  }
}
