package dev.offramp.exporter.cli;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadSettings;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainingOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every flag of the {@code offramp} tooling, one picocli mixin per command ({@code build}'s split
 * into input, training and calibration groups): each name, default and help text lives here once,
 * the commands read as what they do, and each group turns its flags into the validated settings
 * record it stands for.
 */
final class Flags {
  private Flags() {}

  /** {@link BuildCommand}'s arguments. */
  static final class Build {
    @Mixin Input input;

    @Mixin Training training;

    @Mixin Calibration calibration;

    @Option(names = "--backbone", required = true, paramLabel = "MODEL.onnx")
    Path backbone;

    @Option(
        names = "--data",
        required = true,
        paramLabel = "SPEC",
        description = "fashion-mnist:DIR, imagefolder:DIR or cifar10:DIR")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--name", description = "Bundle name (default: the --out directory name).")
    String name;

    @Option(names = "--cuts", defaultValue = "auto", description = "auto or T1,T2,… (tensor names)")
    String cuts;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--train-limit", defaultValue = "0", description = "0 = all training images")
    int trainLimit;

    @Option(names = "--valid-fraction", defaultValue = "0.1")
    double validFraction;

    @Option(names = "--skip-test", description = "Do not evaluate on the test split.")
    boolean skipTest;

    @Option(
        names = "--calibration-data",
        paramLabel = "SPEC",
        description =
            "A separate calibration set (its train split), e.g. images the backbone never saw."
                + " Default: the dataset's valid split, else a hold-out of its train split.")
    String calibrationData;
  }

  /** {@code build}'s input options: image size, colour and normalisation. */
  static final class Input {
    @Option(names = "--size", description = "N or WxH (default: the backbone's input size)")
    String size;

    @Option(names = "--color", description = "gray|rgb|bgr (default: by input channels)")
    String color;

    @Option(names = "--scale", defaultValue = "0.00392156862745098")
    double scale;

    @Option(names = "--mean", defaultValue = "0", description = "M or M,M,M")
    String mean;

    @Option(names = "--std", defaultValue = "1", description = "S or S,S,S")
    String std;

    /** The options as validated settings. */
    InputSettings settings() {
      return new InputSettings(
          Optional.ofNullable(size).map(InputSettings.ImageSize::parse),
          Optional.ofNullable(color).map(InputOptions::parseColor),
          scale,
          InputOptions.parseList("--mean", mean),
          InputOptions.parseList("--std", std));
    }
  }

  /**
   * {@code build}'s branch-training options: scheme, weighting, targets, heads and the optimiser.
   */
  static final class Training {
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

  /** {@code build}'s calibration options: margins, support, survivors and the target profile. */
  static final class Calibration {
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
        description =
            "Target profile: accuracy drop allowed (points), judged out of fold on the"
                + " calibration split with a one-sided 95%% bound.")
    double maxDrop;

    @Option(
        names = "--min-saving",
        paramLabel = "FRACTION",
        description = "Target profile: MAC saving required (then the most accurate such margin).")
    Double minSaving;

    /** The options as validated settings. */
    CalibrationOptions options() {
      String cal = Training.oneOf("--calibrate-on", calibrateOn, "survivors", "all");
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

  /** {@link EvaluateCommand}'s arguments. */
  static final class Evaluate {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    Path bundleDir;

    @Option(names = "--data", required = true, paramLabel = "SPEC")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train|valid|test")
    String split;

    @Option(names = "--profile", description = "Only this profile (default: all).")
    String profile;

    @Option(names = "--valid-fraction", defaultValue = "0.1")
    double validFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Hold-out seed (as at build).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(
        names = "--outcomes",
        paramLabel = "FILE",
        description =
            "Also write per-image outcomes of every profile (for `offramp bench method`).")
    Path outcomes;
  }

  /** {@link InspectCommand}'s arguments. */
  static final class Inspect {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The backbone.")
    Path model;

    @Option(
        names = "--input-shape",
        paramLabel = "N,C,H,W",
        converter = InputShapeOption.class,
        description =
            "Input shape to analyse; needed when H or W is symbolic (batch defaults to 1).")
    List<Long> inputShape;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;
  }

  /** {@link SplitCommand}'s arguments. */
  static final class Split {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The backbone.")
    Path model;

    @Option(
        names = "--cuts",
        required = true,
        paramLabel = "auto|T1,T2,…",
        description = "'auto' (ends of residual stages) or cut tensor names from inspect.")
    String cuts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(
        names = "--input-shape",
        paramLabel = "N,C,H,W",
        converter = InputShapeOption.class,
        description = "Input shape for MAC counting; needed when H or W is symbolic.")
    List<Long> inputShape;
  }

  /** {@link VerifyCommand}'s arguments. */
  static final class Verify {
    @Parameters(
        index = "0",
        paramLabel = "DIR_OR_BUNDLE",
        description = "A split directory (stage-*.onnx) or a bundle (manifest.json).")
    Path dir;

    @Option(names = "--backbone", required = true, paramLabel = "MODEL.onnx")
    Path backbone;

    @Option(names = "--samples", defaultValue = "3", description = "Random inputs (default 3).")
    int samples;

    @Option(
        names = "--tolerance",
        defaultValue = "1e-5",
        description = "Largest relative error max|a-b| / max(max|b|, 1e-6) allowed (default 1e-5).")
    double tolerance;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random inputs.")
    long seed;

    @Option(
        names = "--input-shape",
        paramLabel = "N,C,H,W",
        converter = InputShapeOption.class,
        description = "Input shape; needed when H or W is symbolic.")
    List<Long> inputShape;

    @Option(
        names = "--data",
        paramLabel = "SPEC",
        description =
            "Also compare on real images of this dataset (a bundle only: its manifest says how to"
                + " preprocess), e.g. fashion-mnist:/usr/share/datasets/fashion-mnist.")
    String data;

    @Option(
        names = "--data-samples",
        defaultValue = "8",
        description = "Real images taken from the test split with --data (default 8).")
    int dataSamples;
  }
}
