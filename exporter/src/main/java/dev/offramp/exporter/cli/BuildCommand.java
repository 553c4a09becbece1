package dev.offramp.exporter.cli;

import dev.offramp.exporter.build.BuildOptions;
import dev.offramp.exporter.build.BuildResult;
import dev.offramp.exporter.build.CascadeBuilder;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ReportWriter;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp build}: backbone + dataset → cascade bundle. Defaults are set here only. */
@Command(
    name = "build",
    description =
        "Train early-exit branches (BTS-EE), calibrate them (CPM) and write a cascade bundle.")
final class BuildCommand extends ToolCommand {
  @Mixin Flags.Build o;

  @Override
  public Integer call() {
    BuildOptions options =
        new BuildOptions(
            o.backbone,
            o.out,
            o.name != null ? o.name : String.valueOf(o.out.toAbsolutePath().getFileName()),
            o.cuts,
            o.input.settings(),
            new DataSettings(
                o.data,
                Optional.ofNullable(o.calibrationData),
                o.validFraction,
                o.trainLimit,
                o.seed),
            o.training.options(o.seed),
            o.calibration.options(),
            !o.skipTest);
    BuildResult r = CascadeBuilder.build(options);
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
