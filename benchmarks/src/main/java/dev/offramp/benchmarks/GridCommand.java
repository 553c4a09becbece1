package dev.offramp.benchmarks;

import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.grid.GridRunner;
import dev.offramp.benchmarks.grid.GridSettings;
import dev.offramp.benchmarks.grid.GridSpec;
import dev.offramp.exporter.cli.ToolCommand;
import dev.offramp.exporter.data.InputOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp bench grid}: the 64-configuration boosted-vs-baseline grid, resumable. */
@Command(
    name = "grid",
    description = {
      "Boosted vs baseline over 4 exit placements x 4 margins x 4 head sizes (GridSpec.defaults),"
          + " with the oracle bound; one JSON per finished configuration under OUT/configs"
          + " (rerunning skips those), then OUT/grid.json, grid.md, pareto.svg."
    })
public final class GridCommand extends ToolCommand {
  @Mixin BenchFlags.Grid flags;

  @Override
  public Integer call() {
    GridRunner.Outcome o =
        GridRunner.run(
            new GridSettings(
                flags.backbone,
                flags.data,
                flags.out,
                flags.trainLimit,
                flags.validLimit,
                flags.testLimit,
                flags.epochs,
                flags.batchSize,
                flags.lr,
                flags.minSupport,
                flags.validFraction,
                InputOptions.parseList("--mean", flags.mean),
                InputOptions.parseList("--std", flags.std),
                flags.seed),
            GridSpec.defaults().only(flags.placements, flags.heads),
            err());
    spec()
        .commandLine()
        .getOut()
        .printf(
            "grid: computed %d, reused %d; boosted dominates %s, baseline %s, tie %s, neither %s;"
                + " wrote %s%n",
            o.computed().size(),
            o.skipped().size(),
            o.summary().boostedWins(),
            o.summary().baselineWins(),
            o.summary().ties(),
            o.summary().neither(),
            flags.out.resolve("grid.json"));
    return 0;
  }
}
