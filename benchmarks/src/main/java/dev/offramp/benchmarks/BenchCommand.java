package dev.offramp.benchmarks;

import dev.offramp.benchmarks.cli.BenchFlags;
import dev.offramp.benchmarks.e2e.BenchReport;
import dev.offramp.benchmarks.e2e.EndToEndBench;
import dev.offramp.benchmarks.energy.EnergyCalibration;
import dev.offramp.benchmarks.energy.EnergyCounter;
import dev.offramp.benchmarks.energy.MeterCounter;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.cli.ToolCommand;
import dev.offramp.exporter.data.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code offramp bench}: the end-to-end benchmark (default) or, with {@code --calibrate-energy},
 * the energy-model calibration. Subcommands: {@code grid}; {@code jmh} is dispatched by {@link
 * BenchMain} before option parsing so JMH sees its own options untouched.
 */
@Command(
    name = "offramp bench",
    description = {
      "End-to-end benchmark: the monolithic backbone, every profile of the cascade and, with"
          + " --baseline, of the baseline bundle, interleaved per frame in one process.",
      "Also: offramp bench --calibrate-energy --bundle B [--out FILE]; offramp bench grid …;"
          + " offramp bench jmh [JMH options] (microbenchmarks, e.g. offramp bench jmh"
          + " ChainOverhead)."
    },
    subcommands = {
      GridCommand.class,
      dev.offramp.benchmarks.method.MethodCommand.class,
      dev.offramp.benchmarks.soak.SoakBench.class,
      dev.offramp.benchmarks.budget.BudgetBench.class,
      dev.offramp.benchmarks.store.StoreBench.class,
      dev.offramp.benchmarks.cameras.CamerasBench.class
    })
public final class BenchCommand extends ToolCommand {
  @Mixin BenchFlags.Bench flags;

  @Override
  public Integer call() {
    Optional<MeterCounter> meter = MeterCounter.probe(flags.energyRoot, sampleInterval());
    try {
      return run(meter.map(m -> m));
    } finally {
      meter.ifPresent(MeterCounter::close);
    }
  }

  /**
   * The energy meter's sampling period: the runtime meter keeps 256 samples, which must span the
   * longest stretch between two readings (a calibration window): 100 ms, longer for long windows.
   */
  private Duration sampleInterval() {
    return Duration.ofMillis(Math.max(100, (long) Math.ceil(flags.windowSeconds * 1000 / 128)));
  }

  private int run(Optional<EnergyCounter> meter) {
    PrintWriter o = out();
    if (flags.calibrateEnergy) {
      require(flags.bundle, "--bundle");
      return EnergyCalibration.run(
          flags.bundle,
          meter,
          "INA3221, PMIC and RAPL under " + flags.energyRoot,
          Optional.ofNullable(flags.out),
          flags.windowSeconds,
          3,
          flags.threads,
          o);
    }
    require(flags.bundle, "--bundle");
    require(flags.backbone, "--backbone");
    require(flags.data, "--data");
    EndToEndBench.Result r =
        EndToEndBench.run(
            new EndToEndBench.Settings(
                flags.bundle,
                flags.backbone,
                flags.data,
                Optional.ofNullable(flags.baseline),
                Split.parse(flags.split),
                flags.limit,
                flags.threads,
                flags.warmup,
                flags.seed),
            meter,
            err());
    String md = BenchReport.markdown(r);
    o.print(md);
    if (flags.json != null) {
      Json.write(flags.json, BenchReport.json(r));
      Path abs = flags.json.toAbsolutePath();
      String stem = String.valueOf(abs.getFileName()).replaceFirst("\\.json$", "");
      Path dir = Json.parentOf(abs);
      Json.writeString(dir.resolve(stem + ".md"), md);
      Json.writeString(dir.resolve(stem + "-latency-vs-macs.svg"), BenchReport.latencySvg(r));
      Json.writeString(dir.resolve(stem + "-accuracy-vs-macs.svg"), BenchReport.accuracySvg(r));
      o.printf("wrote %s (+ .md, -latency-vs-macs.svg, -accuracy-vs-macs.svg)%n", flags.json);
    }
    return 0;
  }

  private void require(Object value, String flag) {
    if (value == null) {
      throw new CommandLine.ParameterException(
          spec().commandLine(),
          "missing "
              + flag
              + (flags.calibrateEnergy
                  ? " (offramp bench --calibrate-energy --bundle B [--out FILE])"
                  : " (offramp bench --bundle B --backbone M --data SPEC [--baseline B2] [--json OUT])"));
    }
  }
}
