package dev.offramp.benchmarks;

import dev.offramp.benchmarks.e2e.BenchReport;
import dev.offramp.benchmarks.e2e.EndToEndBench;
import dev.offramp.benchmarks.energy.EnergyCalibration;
import dev.offramp.benchmarks.energy.EnergyCounter;
import dev.offramp.benchmarks.energy.MeterCounter;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.data.Split;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code offramp bench}: the end-to-end benchmark (default) or, with {@code --calibrate-energy},
 * the energy-model calibration. Subcommands: {@code grid}; {@code jmh} is dispatched by {@link
 * BenchMain} before option parsing so JMH sees its own options untouched.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end benchmark: the monolithic backbone, every profile of the cascade and, with"
          + " --baseline, of the baseline bundle, interleaved per frame in one process.",
      "Also: bench --calibrate-energy --bundle B [--out FILE]; bench grid …; bench jmh [JMH"
          + " options] (microbenchmarks, e.g. bench jmh ChainOverhead)."
    },
    subcommands = {
      GridCommand.class,
      dev.offramp.benchmarks.method.MethodCommand.class,
      dev.offramp.benchmarks.soak.SoakBench.class
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--bundle", paramLabel = "DIR", description = "The cascade bundle.")
  Path bundle;

  @Option(names = "--backbone", paramLabel = "MODEL.onnx", description = "Its backbone.")
  Path backbone;

  @Option(names = "--data", paramLabel = "SPEC", description = "e.g. fashion-mnist:DIR")
  String data;

  @Option(names = "--baseline", paramLabel = "DIR", description = "The non-boosted bundle.")
  Path baseline;

  @Option(
      names = "--json",
      paramLabel = "OUT",
      description = "Write JSON here (and OUT's .md/.svg).")
  Path json;

  @Option(names = "--limit", defaultValue = "2000", description = "Images (0 = the whole split).")
  int limit;

  @Option(names = "--split", defaultValue = "test", description = "train|valid|test")
  String split;

  @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads, every session.")
  int threads;

  @Option(names = "--warmup", defaultValue = "100", description = "Unrecorded warm-up images.")
  int warmup;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--calibrate-energy", description = "Fit the energy model instead.")
  boolean calibrateEnergy;

  @Option(names = "--out", paramLabel = "FILE", description = "--calibrate-energy: YAML output.")
  Path out;

  @Option(
      names = "--energy-root",
      defaultValue = "/",
      description =
          "Root under which the energy meters read sysfs (hwmon, powercap); tests use recorded"
              + " trees.")
  Path energyRoot;

  @Option(names = "--window-seconds", defaultValue = "2", description = "Calibration window.")
  double windowSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Optional<MeterCounter> meter = MeterCounter.probe(energyRoot, sampleInterval());
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
    return Duration.ofMillis(Math.max(100, (long) Math.ceil(windowSeconds * 1000 / 128)));
  }

  private int run(Optional<EnergyCounter> meter) {
    PrintWriter o = spec.commandLine().getOut();
    if (calibrateEnergy) {
      require(bundle, "--bundle");
      return EnergyCalibration.run(
          bundle,
          meter,
          "INA3221, PMIC and RAPL under " + energyRoot,
          Optional.ofNullable(out),
          windowSeconds,
          3,
          threads,
          o);
    }
    require(bundle, "--bundle");
    require(backbone, "--backbone");
    require(data, "--data");
    EndToEndBench.Result r =
        EndToEndBench.run(
            new EndToEndBench.Settings(
                bundle,
                backbone,
                data,
                Optional.ofNullable(baseline),
                Split.parse(split),
                limit,
                threads,
                warmup,
                seed),
            meter,
            spec.commandLine().getErr());
    String md = BenchReport.markdown(r);
    o.print(md);
    if (json != null) {
      Json.write(json, BenchReport.json(r));
      Path abs = json.toAbsolutePath();
      String stem = String.valueOf(abs.getFileName()).replaceFirst("\\.json$", "");
      Path dir = Json.parentOf(abs);
      Json.writeString(dir.resolve(stem + ".md"), md);
      Json.writeString(dir.resolve(stem + "-latency-vs-macs.svg"), BenchReport.latencySvg(r));
      Json.writeString(dir.resolve(stem + "-accuracy-vs-macs.svg"), BenchReport.accuracySvg(r));
      o.printf("wrote %s (+ .md, -latency-vs-macs.svg, -accuracy-vs-macs.svg)%n", json);
    }
    return 0;
  }

  private void require(Object value, String flag) {
    if (value == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "missing "
              + flag
              + (calibrateEnergy
                  ? " (bench --calibrate-energy --bundle B [--out FILE])"
                  : " (bench --bundle B --backbone M --data SPEC [--baseline B2] [--json OUT])"));
    }
  }
}
