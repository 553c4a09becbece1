package dev.offramp.benchmarks.jmh;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of the exit decision for one exit (argmax + one threshold lookup). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExitRuleBenchmark {
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
