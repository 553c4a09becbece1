package dev.offramp.exporter.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offramp.cascade.exit.ThresholdTable;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CascadeMetricsTest {
  @ParameterizedTest(name = "seed {0}, theta {1}")
  @CsvSource({"1, 0.5", "2, 0.8", "3, 0.95", "4, 1.0"})
  void metricsEqualABruteForceRecomputation(long seed, double theta) {
    Random r = new Random(seed);
    int n = 500;
    int classes = 3;
    int stages = 3;
    float[][][] probs = new float[n][stages][classes];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
      for (int s = 0; s < stages; s++) {
        float a = r.nextFloat();
        float b = r.nextFloat() * (1 - a);
        probs[i][s] = new float[] {a, b, 1 - a - b};
      }
    }
    double[][] rows = {{theta, Double.NaN, theta}, {theta, theta, theta}};
    long[] macs = {0, 100, 250, 1000};
    ProfileMetrics m =
        CascadeMetrics.compute("p", 0.01, probs, labels, ThresholdTable.of(rows), macs, 900);

    // Brute force, written out without ExitRule.
    int correct = 0;
    int bbCorrect = 0;
    double macSum = 0;
    double[] rates = new double[stages];
    double[] paired = new double[n];
    for (int i = 0; i < n; i++) {
      int answer = stages - 1;
      for (int s = 0; s < stages - 1; s++) {
        int c = 0;
        for (int j = 1; j < classes; j++) {
          if (probs[i][s][j] > probs[i][s][c]) {
            c = j;
          }
        }
        if (!Double.isNaN(rows[s][c]) && probs[i][s][c] >= rows[s][c]) {
          answer = s;
          break;
        }
      }
      rates[answer] += 1.0 / n;
      macSum += macs[answer + 1];
      if (argmax(probs[i][answer]) == labels[i]) {
        correct++;
        paired[i] -= 1;
      }
      if (argmax(probs[i][stages - 1]) == labels[i]) {
        bbCorrect++;
        paired[i] += 1;
      }
    }
    double mean = 0;
    for (double d : paired) {
      mean += d / n;
    }
    double ss = 0;
    for (double d : paired) {
      ss += (d - mean) * (d - mean);
    }
    assertEquals((double) correct / n, m.accuracy(), 1e-12);
    assertEquals((double) bbCorrect / n, m.backboneAccuracy(), 1e-12);
    assertEquals(macSum / n, m.meanMacs(), 1e-9);
    assertEquals(macSum / n / 900, m.macsFraction(), 1e-12);
    assertEquals(100.0 * (bbCorrect - correct) / n, m.accuracyDropPoints(), 1e-9);
    assertArrayEquals(rates, m.exitRates(), 1e-9);
    assertEquals(100 * Math.sqrt(ss / (n - 1) / n), m.dropStandardErrorPoints(), 1e-9);
  }

  private static int argmax(float[] p) {
    int c = 0;
    for (int j = 1; j < p.length; j++) {
      if (p[j] > p[c]) {
        c = j;
      }
    }
    return c;
  }
}
