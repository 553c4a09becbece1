package dev.offramp.exporter.cli;

import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.exporter.build.BuildOptions;
import dev.offramp.exporter.build.BuildResult;
import dev.offramp.exporter.build.CascadeBuilder;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ReportWriter;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadSettings;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code offramp build}: backbone + dataset → cascade bundle. Defaults are set here only. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description =
        "Train early-exit branches (BTS-EE), calibrate them (CPM) and write a cascade bundle.")
final class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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

  @Override
  public Integer call() {
    String mode = weighting.trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("hard") && !mode.equals("soft")) {
      throw new IllegalArgumentException("--weighting: expected hard or soft, found " + weighting);
    }
    String tg = targets.trim().toLowerCase(Locale.ROOT);
    if (!tg.equals("backbone") && !tg.equals("labels")) {
      throw new IllegalArgumentException(
          "--targets: expected backbone or labels, found " + targets);
    }
    String cal = calibrateOn.trim().toLowerCase(Locale.ROOT);
    if (!cal.equals("survivors") && !cal.equals("all")) {
      throw new IllegalArgumentException(
          "--calibrate-on: expected survivors or all, found " + calibrateOn);
    }
    double[] grids = InputOptions.parseList("--head-grid", headGrid);
    InputSettings input =
        new InputSettings(
            Optional.ofNullable(size).map(InputSettings.ImageSize::parse),
            Optional.ofNullable(color).map(InputOptions::parseColor),
            scale,
            InputOptions.parseList("--mean", mean),
            InputOptions.parseList("--std", std));
    TrainingOptions training =
        new TrainingOptions(
            Scheme.parse(scheme),
            compareBaseline,
            mode.equals("soft"),
            tg.equals("labels"),
            new TrainSettings(epochs, batchSize, lr, seed, temperature),
            new HeadSettings(
                Arrays.stream(grids).mapToInt(g -> (int) g).toArray(), headWidth, headLayers));
    CalibrationOptions calibration =
        new CalibrationOptions(
            InputOptions.parseList("--margins", margins),
            MarginMode.parse(marginMode),
            minSupport,
            cal.equals("survivors"),
            Optional.ofNullable(trainMargin),
            Optional.ofNullable(defaultProfile),
            target());
    BuildOptions o =
        new BuildOptions(
            backbone,
            out,
            name != null ? name : String.valueOf(out.toAbsolutePath().getFileName()),
            cuts,
            input,
            new DataSettings(
                data, Optional.ofNullable(calibrationData), validFraction, trainLimit, seed),
            training,
            calibration,
            !skipTest);
    BuildResult r = CascadeBuilder.build(o);
    PrintWriter w = spec.commandLine().getOut();
    String def = r.bundle().manifest().defaultProfile();
    w.println("calibration split: " + r.calibration().summary());
    print(w, "calibration (valid split)", r.validMetrics(), def);
    w.println(r.targetSummary());
    print(w, "evaluation (test split)", r.testMetrics(), def);
    w.printf(
        Locale.ROOT,
        "bundle %s written and verified (%d stages, default profile %s) in %.1f s%n",
        r.bundle().dir(),
        r.bundle().manifest().stages().size(),
        def,
        r.seconds());
    return 0;
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

  private static void print(
      PrintWriter w, String what, Map<String, List<ProfileMetrics>> m, String def) {
    for (Map.Entry<String, List<ProfileMetrics>> e : m.entrySet()) {
      w.print(ReportWriter.table(e.getKey() + " — " + what, e.getValue(), def));
    }
  }
}
