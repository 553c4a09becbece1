package dev.offramp.exporter.cli;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.data.InputOptions;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code build}'s calibration options: margins, support, survivors and the target profile. */
final class CalibrationFlags {
  @Option(names = "--margins", defaultValue = "0,0.01,0.02,0.05")
  String margins;

  @Option(names = "--margin-mode", defaultValue = "additive")
  String marginMode;

  @Option(names = "--min-support", defaultValue = "20")
  int minSupport;

  @Option(names = "--calibrate-on", defaultValue = "survivors", description = "survivors|all")
  String calibrateOn;

  @Option(names = "--train-margin", description = "Margin for boosted survivor selection.")
  Double trainMargin;

  @Option(names = "--default-profile")
  String defaultProfile;

  @Option(
      names = "--max-drop",
      defaultValue = "1.0",
      paramLabel = "POINTS",
      description = "Target profile: accuracy drop allowed on the calibration split (points).")
  double maxDrop;

  @Option(
      names = "--min-saving",
      paramLabel = "FRACTION",
      description = "Target profile: MAC saving required (then the most accurate such margin).")
  Double minSaving;

  /** The options as validated settings. */
  CalibrationOptions options() {
    String cal = TrainingFlags.oneOf("--calibrate-on", calibrateOn, "survivors", "all");
    return new CalibrationOptions(
        InputOptions.parseList("--margins", margins),
        MarginMode.parse(marginMode),
        minSupport,
        cal.equals("survivors"),
        Optional.ofNullable(trainMargin),
        Optional.ofNullable(defaultProfile),
        target());
  }

  private ProfileTarget target() {
    try {
      return new ProfileTarget(maxDrop, Optional.ofNullable(minSaving));
    } catch (BundleException e) {
      throw new IllegalArgumentException(
          "--max-drop/--min-saving: " + e.getMessage() + "; e.g. --max-drop 1.0 --min-saving 0.5",
          e);
    }
  }
}
