package dev.offramp.exporter.evaluate;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.DatasetException;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.progress.ProgressBar;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a bundle on images through {@link CascadeExecutor}, the runtime's executor: every stage
 * runs on every image once ({@code stageProbabilities}), then each profile is applied offline with
 * {@code ExitRule.decide} ({@link CascadeMetrics}). Stateless.
 */
public final class BundleEvaluator {
  private BundleEvaluator() {}

  /** Per-sample, per-stage probabilities of the bundle on {@code images}. */
  public static float[][][] stageProbabilities(Bundle bundle, ImageSet images) {
    Manifest m = bundle.manifest();
    Preprocessor pre = new Preprocessor(m.input());
    if (images.imageBytes() != pre.pixelCount()) {
      throw new DatasetException(
          "images are "
              + images.width()
              + "x"
              + images.height()
              + "x"
              + images.channels()
              + " but the bundle's input is "
              + m.input()
              + "; load the dataset at the bundle's input size and color");
    }
    int n = images.size();
    float[][][] out = new float[n][][];
    byte[] px = new byte[images.imageBytes()];
    float[] in = new float[m.input().elementCount()];
    ProgressBar bar = new ProgressBar("cascade", n);
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      for (int i = 0; i < n; i++) {
        images.image(i, px);
        pre.fill(px, in, 0);
        out[i] = ex.stageProbabilities(in);
        bar.update(i + 1, "");
      }
    }
    bar.finish(n + " images");
    return out;
  }

  /** MACs of running the first s stages, s = 0..stages. */
  public static long[] macsThrough(Manifest m) {
    long[] out = new long[m.stages().size() + 1];
    for (int s = 1; s <= m.stages().size(); s++) {
      out[s] = m.macsThrough(s);
    }
    return out;
  }

  /** Metrics for every profile (or only {@code only}, when given) from stage probabilities. */
  public static List<ProfileMetrics> metrics(
      Manifest m, float[][][] probs, int[] labels, java.util.Optional<String> only) {
    List<ProfileMetrics> out = new ArrayList<>();
    long[] macs = macsThrough(m);
    for (Profile p : m.profiles().values()) {
      if (only.isPresent() && !only.get().equals(p.name())) {
        continue;
      }
      out.add(
          CascadeMetrics.compute(
              p.name(), p.margin(), probs, labels, p.thresholds(), macs, m.backbone().macs()));
    }
    if (only.isPresent() && out.isEmpty()) {
      m.profile(only.get()); // throws, listing the profiles
    }
    return out;
  }
}
