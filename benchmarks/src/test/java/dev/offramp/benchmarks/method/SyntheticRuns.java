package dev.offramp.benchmarks.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Constructed runs whose comparison has a known answer. One shared test set: the backbone is right
 * on a fixed 90% of the images. At margin index j a run sends a growing share of images out at exit
 * 0 (plus 10% at exit 1); an early answer is right when the backbone is right and the image's draw
 * is below the scheme's {@code skill}. Two schemes with the same draws and skills are identical; a
 * higher skill is strictly more accurate at the same MACs.
 */
final class SyntheticRuns {
  static final long[] MACS = {0, 300, 600, 1000};
  static final int N = 3000;
  static final int MARGINS = 10;

  private SyntheticRuns() {}

  static boolean[] backboneCorrect() {
    Random r = new Random(99);
    boolean[] c = new boolean[N];
    for (int i = 0; i < N; i++) {
      c[i] = r.nextDouble() < 0.9;
    }
    return c;
  }

  /** One run of a scheme with {@code skill}, training randomness {@code seed}. */
  static Outcomes run(String scheme, double skill, long seed) {
    boolean[] bb = backboneCorrect();
    Random r = new Random(seed);
    double[] u = new double[N];
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      u[i] = r.nextDouble();
      v[i] = r.nextDouble();
    }
    List<Outcomes.Profile> ps = new ArrayList<>();
    for (int j = 0; j < MARGINS; j++) {
      double e0 = 0.02 + 0.07 * j;
      byte[] stage = new byte[N];
      boolean[] ok = new boolean[N];
      for (int i = 0; i < N; i++) {
        stage[i] = (byte) (u[i] < e0 ? 0 : u[i] < e0 + 0.1 ? 1 : 2);
        ok[i] = stage[i] == 2 ? bb[i] : bb[i] && v[i] < skill;
      }
      ps.add(new Outcomes.Profile("m" + j, 0.01 * j, false, stage, ok));
    }
    return new Outcomes(scheme + "/" + seed + ".json", seed, "split", 1000, MACS, ps);
  }

  static List<Outcomes> runs(String scheme, double skill, long... seeds) {
    List<Outcomes> out = new ArrayList<>();
    for (long s : seeds) {
      out.add(run(scheme, skill, s));
    }
    return out;
  }
}
