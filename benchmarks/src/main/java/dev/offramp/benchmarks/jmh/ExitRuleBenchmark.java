package dev.offramp.benchmarks.jmh;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Cost of the exit decision for one exit (argmax + one threshold lookup). */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExitRuleBenchmark extends ShortRun {
  @Param({"10", "1000"})
  public int classes;

  private ThresholdTable table;
  private float[][] probs;
  private int i;

  @Setup
  public void setUp() {
    Random random = new Random(3);
    double[][] rows = new double[3][classes];
    for (double[] row : rows) {
      for (int c = 0; c < classes; c++) {
        row[c] = random.nextDouble() < 0.1 ? Double.NaN : random.nextDouble();
      }
    }
    table = ThresholdTable.of(rows);
    probs = new float[64][classes];
    for (float[] p : probs) {
      for (int c = 0; c < classes; c++) {
        p[c] = random.nextFloat();
      }
    }
  }

  @Benchmark
  public boolean exitDecision() {
    float[] p = probs[i++ & 63];
    return ExitRule.exits(p, table, 1);
  }
}
