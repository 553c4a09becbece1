package dev.offramp.benchmarks;

import dev.offramp.benchmarks.grid.GridRunner;
import dev.offramp.benchmarks.grid.GridSettings;
import dev.offramp.benchmarks.grid.GridSpec;
import dev.offramp.exporter.data.InputOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code offramp bench grid}: the 64-configuration boosted-vs-baseline grid, resumable. */
@Command(
    name = "grid",
    mixinStandardHelpOptions = true,
    description = {
      "Boosted vs baseline over 4 exit placements x 4 margins x 4 head sizes (GridSpec.defaults),"
          + " with the oracle bound; one JSON per finished configuration under OUT/configs"
          + " (rerunning skips those), then OUT/grid.json, grid.md, pareto.svg."
    })
public final class GridCommand implements Callable<Integer> {
  @Option(names = "--backbone", required = true, paramLabel = "MODEL.onnx")
  Path backbone;

  @Option(names = "--data", required = true, paramLabel = "SPEC")
  String data;

  @Option(names = "--out", required = true, paramLabel = "DIR")
  Path out;

  @Option(names = "--train-limit", defaultValue = "20000", description = "0 = all")
  int trainLimit;

  @Option(names = "--valid-limit", defaultValue = "0", description = "Calibration images, 0 = all")
  int validLimit;

  @Option(names = "--test-limit", defaultValue = "0", description = "0 = all")
  int testLimit;

  @Option(names = "--epochs", defaultValue = "4")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.003")
  double lr;

  @Option(names = "--min-support", defaultValue = "20")
  int minSupport;

  @Option(names = "--valid-fraction", defaultValue = "0.1")
  double validFraction;

  @Option(
      names = "--mean",
      defaultValue = "0.2860",
      description = "Default: the demo backbone's normalisation.")
  String mean;

  @Option(names = "--std", defaultValue = "0.3530")
  String std;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(
      names = "--placements",
      split = ",",
      paramLabel = "NAME",
      description = "Only these placements of the default grid (auto, early, late, sparse).")
  java.util.List<String> placements;

  @Option(
      names = "--heads",
      split = ",",
      paramLabel = "NAME",
      description = "Only these head sizes (g2w8, g2w16, g4w32, g4w64).")
  java.util.List<String> heads;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    GridRunner.Outcome o =
        GridRunner.run(
            new GridSettings(
                backbone,
                data,
                out,
                trainLimit,
                validLimit,
                testLimit,
                epochs,
                batchSize,
                lr,
                minSupport,
                validFraction,
                InputOptions.parseList("--mean", mean),
                InputOptions.parseList("--std", std),
                seed),
            GridSpec.defaults().only(placements, heads),
            spec.commandLine().getErr());
    spec.commandLine()
        .getOut()
        .printf(
            "grid: computed %d, reused %d; boosted dominates %s, baseline %s, tie %s, neither %s;"
                + " wrote %s%n",
            o.computed().size(),
            o.skipped().size(),
            o.summary().get("boosted_wins"),
            o.summary().get("baseline_wins"),
            o.summary().get("ties"),
            o.summary().get("neither"),
            out.resolve("grid.json"));
    return 0;
  }
}
