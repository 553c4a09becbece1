package dev.offramp.exporter.cli;

import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadSettings;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainingOptions;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code build}'s branch-training options: scheme, weighting, targets, heads and the optimiser. */
final class TrainingFlags {
  @Option(names = "--scheme", defaultValue = "boosted", description = "boosted|baseline")
  String scheme;

  @Option(names = "--compare-baseline", description = "Also train the baseline; report both.")
  boolean compareBaseline;

  @Option(names = "--weighting", defaultValue = "hard", description = "hard|soft")
  String weighting;

  @Option(names = "--targets", defaultValue = "backbone", description = "backbone|labels")
  String targets;

  @Option(names = "--distill-temperature", defaultValue = "0", description = "T (0 = off)")
  double temperature;

  @Option(names = "--head-grid", defaultValue = "4", description = "G, or G1,G2,… per cut")
  String headGrid;

  @Option(names = "--head-width", defaultValue = "32")
  int headWidth;

  @Option(names = "--head-layers", defaultValue = "2")
  int headLayers;

  @Option(names = "--epochs", defaultValue = "8")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.003")
  double lr;

  /** The options as validated settings; {@code seed} is the build's one seed. */
  TrainingOptions options(long seed) {
    String mode = oneOf("--weighting", weighting, "hard", "soft");
    String tg = oneOf("--targets", targets, "backbone", "labels");
    double[] grids = InputOptions.parseList("--head-grid", headGrid);
    return new TrainingOptions(
        Scheme.parse(scheme),
        compareBaseline,
        mode.equals("soft"),
        tg.equals("labels"),
        new TrainSettings(epochs, batchSize, lr, seed, temperature),
        new HeadSettings(
            Arrays.stream(grids).mapToInt(g -> (int) g).toArray(), headWidth, headLayers));
  }

  /** {@code value} normalised, when it is {@code a} or {@code b}; else a user error. */
  static String oneOf(String flag, String value, String a, String b) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!v.equals(a) && !v.equals(b)) {
      throw new IllegalArgumentException(
          flag + ": expected " + a + " or " + b + ", found " + value);
    }
    return v;
  }
}
