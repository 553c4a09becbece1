package dev.offramp.benchmarks.e2e;

import dev.offramp.benchmarks.energy.EnergyCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The interleaved harness: for every sample, every variant runs once, round-robin, with the
 * starting variant rotating by one per sample (sample i runs variants i, i+1, … mod V). Machine
 * drift (frequency, other processes, thermal state) therefore hits every variant alike, and no
 * variant always runs right after the same neighbour. A warm-up pass over the first samples runs
 * first and is not recorded. Stateless; single-threaded.
 */
public final class Interleaved {
  private Interleaved() {}

  /** Supplies preprocessed inputs and labels by index. */
  public interface Samples {
    int size();

    float[] input(int i);

    int label(int i);
  }

  /**
   * What one variant did over the measured samples.
   *
   * @param name variant name
   * @param nanos wall time of each call, in sample order
   * @param correct calls whose class equals the label
   * @param macs total MACs executed
   * @param exits calls answered per stage
   * @param joules energy attributed to the calls, when a meter measured it
   */
  public record Tally(
      String name,
      long[] nanos,
      int correct,
      long macs,
      List<Integer> exits,
      Optional<Double> joules) {
    /** Copies the arrays. */
    public Tally {
      nanos = nanos.clone();
      exits = List.copyOf(exits);
    }

    /** A copy: the record keeps its own. */
    public long[] nanos() {
      return nanos.clone();
    }

    public int frames() {
      return nanos.length;
    }

    public double accuracy() {
      return (double) correct / nanos.length;
    }

    public double meanMacs() {
      return (double) macs / nanos.length;
    }
  }

  /**
   * Runs the harness.
   *
   * @param variants what to compare (at least one)
   * @param samples measured samples, all of them
   * @param warmup how many of the first samples to run through every variant first, unrecorded
   * @param clock nanosecond clock ({@code System::nanoTime} outside tests)
   * @param meter energy counter; attributes the counter's delta around each call to that call
   * @param maxStages stages of the deepest variant (sizes the exit histogram)
   */
  public static List<Tally> run(
      List<? extends Variant> variants,
      Samples samples,
      int warmup,
      LongSupplier clock,
      Optional<EnergyCounter> meter,
      int maxStages) {
    int v = variants.size();
    int n = samples.size();
    if (v == 0 || n == 0) {
      throw new IllegalArgumentException(
          "interleaved run: expected at least one variant and one sample, found "
              + v
              + " and "
              + n);
    }
    for (int i = 0; i < Math.min(warmup, n); i++) {
      float[] x = samples.input(i);
      for (int j = 0; j < v; j++) {
        variants.get((i + j) % v).classify(x);
      }
    }
    long[][] nanos = new long[v][n];
    int[] correct = new int[v];
    long[] macs = new long[v];
    int[][] exits = new int[v][maxStages];
    double[] joules = new double[v];
    for (int i = 0; i < n; i++) {
      float[] x = samples.input(i);
      int label = samples.label(i);
      for (int j = 0; j < v; j++) {
        int k = (i + j) % v;
        Variant var = variants.get(k);
        double e0 = meter.isPresent() ? meter.get().joules() : 0;
        long t0 = clock.getAsLong();
        int cls = var.classify(x);
        long t1 = clock.getAsLong();
        if (meter.isPresent()) {
          joules[k] += meter.get().joules() - e0;
        }
        nanos[k][i] = t1 - t0;
        if (cls == label) {
          correct[k]++;
        }
        macs[k] += var.lastMacs();
        exits[k][var.lastExitStage()]++;
      }
    }
    List<Tally> out = new ArrayList<>(v);
    for (int k = 0; k < v; k++) {
      out.add(
          new Tally(
              variants.get(k).name(),
              nanos[k],
              correct[k],
              macs[k],
              Arrays.stream(exits[k]).boxed().toList(),
              meter.isPresent() ? Optional.of(joules[k]) : Optional.empty()));
    }
    return out;
  }
}
