package dev.offramp.exporter.cli;

import dev.offramp.exporter.build.BuildOptions;
import dev.offramp.exporter.build.BuildResult;
import dev.offramp.exporter.build.CascadeBuilder;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code offramp build}: backbone + dataset → cascade bundle. Defaults are set here only. */
@Command(
    name = "build",
    description =
        "Train early-exit branches (BTS-EE), calibrate them (CPM) and write a cascade bundle.")
final class BuildCommand extends ToolCommand {
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

  @Mixin InputFlags input;

  @Mixin TrainingFlags training;

  @Mixin CalibrationFlags calibration;

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

  @Override
  public Integer call() {
    BuildOptions o =
        new BuildOptions(
            backbone,
            out,
            name != null ? name : String.valueOf(out.toAbsolutePath().getFileName()),
            cuts,
            input.settings(),
            new DataSettings(
                data, Optional.ofNullable(calibrationData), validFraction, trainLimit, seed),
            training.options(seed),
            calibration.options(),
            !skipTest);
    BuildResult r = CascadeBuilder.build(o);
    PrintWriter w = out();
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

  private static void print(
      PrintWriter w, String what, Map<String, List<ProfileMetrics>> m, String def) {
    for (Map.Entry<String, List<ProfileMetrics>> e : m.entrySet()) {
      w.print(ReportWriter.table(e.getKey() + " — " + what, e.getValue(), def));
    }
  }
}
