package dev.offramp.benchmarks.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every flag of {@code offramp bench} and its subcommands ({@code grid}, {@code method}, {@code
 * soak}, {@code cameras}, ...), one picocli mixin per command: each name, default and help text
 * lives here once and the commands read as what they do.
 */
public final class BenchFlags {
  private BenchFlags() {}

  /** {@code BenchCommand}'s flags. */
  public static final class Bench {
    @Option(names = "--bundle", paramLabel = "DIR", description = "The cascade bundle.")
    public Path bundle;

    @Option(names = "--backbone", paramLabel = "MODEL.onnx", description = "Its backbone.")
    public Path backbone;

    @Option(names = "--data", paramLabel = "SPEC", description = "e.g. fashion-mnist:DIR")
    public String data;

    @Option(names = "--baseline", paramLabel = "DIR", description = "The non-boosted bundle.")
    public Path baseline;

    @Option(
        names = "--json",
        paramLabel = "OUT",
        description = "Write JSON here (and OUT's .md/.svg).")
    public Path json;

    @Option(names = "--limit", defaultValue = "2000", description = "Images (0 = the whole split).")
    public int limit;

    @Option(names = "--split", defaultValue = "test", description = "train|valid|test")
    public String split;

    @Option(
        names = "--threads",
        defaultValue = "1",
        description = "Intra-op threads, every session.")
    public int threads;

    @Option(names = "--warmup", defaultValue = "100", description = "Unrecorded warm-up images.")
    public int warmup;

    @Option(names = "--seed", defaultValue = "1")
    public long seed;

    @Option(names = "--calibrate-energy", description = "Fit the energy model instead.")
    public boolean calibrateEnergy;

    @Option(names = "--out", paramLabel = "FILE", description = "--calibrate-energy: YAML output.")
    public Path out;

    @Option(
        names = "--energy-root",
        defaultValue = "/",
        description =
            "Root under which the energy meters read sysfs (hwmon, powercap); tests use recorded"
                + " trees.")
    public Path energyRoot;

    @Option(names = "--window-seconds", defaultValue = "2", description = "Calibration window.")
    public double windowSeconds;
  }

  /** {@code GridCommand}'s flags. */
  public static final class Grid {
    @Option(names = "--backbone", required = true, paramLabel = "MODEL.onnx")
    public Path backbone;

    @Option(names = "--data", required = true, paramLabel = "SPEC")
    public String data;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    public Path out;

    @Option(names = "--train-limit", defaultValue = "20000", description = "0 = all")
    public int trainLimit;

    @Option(
        names = "--valid-limit",
        defaultValue = "0",
        description = "Calibration images, 0 = all")
    public int validLimit;

    @Option(names = "--test-limit", defaultValue = "0", description = "0 = all")
    public int testLimit;

    @Option(names = "--epochs", defaultValue = "4")
    public int epochs;

    @Option(names = "--batch-size", defaultValue = "128")
    public int batchSize;

    @Option(names = "--lr", defaultValue = "0.003")
    public double lr;

    @Option(names = "--min-support", defaultValue = "20")
    public int minSupport;

    @Option(names = "--valid-fraction", defaultValue = "0.1")
    public double validFraction;

    @Option(
        names = "--mean",
        defaultValue = "0.2860",
        description = "Default: the demo backbone's normalisation.")
    public String mean;

    @Option(names = "--std", defaultValue = "0.3530")
    public String std;

    @Option(names = "--seed", defaultValue = "1")
    public long seed;

    @Option(
        names = "--placements",
        split = ",",
        paramLabel = "NAME",
        description = "Only these placements of the default grid (auto, early, late, sparse).")
    public List<String> placements;

    @Option(
        names = "--heads",
        split = ",",
        paramLabel = "NAME",
        description = "Only these head sizes (g2w8, g2w16, g4w32, g4w64).")
    public List<String> heads;
  }

  /** {@code MethodCommand}'s flags. */
  public static final class Method {
    @Option(
        names = "--runs",
        required = true,
        paramLabel = "DIR",
        description = "DIR/<scheme>/<seed>.json outcome files")
    public Path runs;

    @Option(
        names = "--against",
        defaultValue = "baseline",
        paramLabel = "SCHEME",
        description = "Compare every other scheme with this one (default: baseline).")
    public String against;

    @Option(names = "--pairs", paramLabel = "A:B,…", description = "Further comparisons A vs B.")
    public String pairs;

    @Option(names = "--replicates", defaultValue = "2000")
    public int replicates;

    @Option(names = "--seed", defaultValue = "1", description = "Bootstrap seed.")
    public long seed;

    @Option(names = "--grid", defaultValue = "21", description = "Points per comparison grid.")
    public int grid;

    @Option(names = "--no-resample-seeds", description = "Resample test images only.")
    public boolean noResampleSeeds;

    @Option(
        names = "--tie-accuracy",
        defaultValue = "0.2",
        description = "Tolerance view: accuracy points counted as equal.")
    public double tieAccuracy;

    @Option(
        names = "--tie-macs",
        defaultValue = "0.005",
        description = "Tolerance view: MAC fraction counted as equal.")
    public double tieMacs;

    @Option(names = "--out", paramLabel = "DIR", description = "Write method.json and method.md.")
    public Path out;
  }

  /**
   * The bundle and the frames a benchmark's daemons run on (soak, cameras): the demo's by default.
   */
  public static final class DaemonInput {
    @Option(
        names = "--bundle",
        defaultValue = "demo/fashion-resnet18/bundle",
        paramLabel = "DIR",
        description = "The cascade bundle (default: ${DEFAULT-VALUE}).")
    public String bundle;

    @Option(
        names = "--source",
        defaultValue = "demo/frames/fashion-test.mp4",
        paramLabel = "SRC",
        description = "The frames every daemon reads, looped (default: ${DEFAULT-VALUE}).")
    public String source;
  }

  /** {@code SoakBench}'s flags. */
  public static final class Soak {
    @Option(names = "--frames", defaultValue = "100000", description = "Frames to read back.")
    public int frames;

    @Option(names = "--warmup", defaultValue = "5000", description = "Frames before measuring.")
    public int warmup;

    @Mixin public DaemonInput input = new DaemonInput();

    @Option(
        names = "--json",
        defaultValue = "benchmarks/results/soak.json",
        paramLabel = "FILE",
        description = "Where the result document goes.")
    public Path json;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description =
            "A configuration file for the daemon (e.g. an audit: section); the flags above still"
                + " win. The report then carries the daemon's last retained audit counters.")
    public Path config;
  }

  /** {@code BudgetBench}'s flags. */
  public static final class Budget {
    @Option(
        names = "--target-fps",
        defaultValue = "0",
        paramLabel = "F",
        description = "Target frame rate (0: --target-fraction of the measured unpaced rate).")
    public double targetFps;

    @Option(
        names = "--target-fraction",
        defaultValue = "0.6",
        paramLabel = "X",
        description = "Share of the unpaced throughput taken as the target.")
    public double targetFraction;

    @Option(names = "--calm-s", defaultValue = "20", paramLabel = "S", description = "Calm phase.")
    public int calmS;

    @Option(names = "--load-s", defaultValue = "40", paramLabel = "S", description = "Load phase.")
    public int loadS;

    @Option(names = "--after-s", defaultValue = "20", paramLabel = "S", description = "Calm again.")
    public int afterS;

    @Option(names = "--window-s", defaultValue = "2", paramLabel = "S", description = "Window.")
    public double windowS;

    @Option(names = "--cpus", defaultValue = "1", paramLabel = "N", description = "stress-ng --cpu")
    public int cpus;

    @Option(names = "--no-baseline", description = "Skip the run with budget mode off.")
    public boolean noBaseline;

    @Option(
        names = "--json",
        defaultValue = "benchmarks/results/budget.json",
        paramLabel = "FILE",
        description = "Where the result document goes.")
    public Path json;
  }

  /** {@code StoreBench}'s flags. */
  public static final class Store {
    @Option(
        names = "--results",
        defaultValue = "20000",
        paramLabel = "N",
        description = "Results per workload.")
    public int results;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Where the engines' files go (default: a new temporary directory).")
    public Path dir;

    @Option(
        names = "--json",
        defaultValue = "benchmarks/results/store-engines.json",
        paramLabel = "FILE",
        description = "Where the result document goes.")
    public Path json;
  }

  /** {@code CamerasBench}'s flags. */
  public static final class Cameras {
    @Option(names = "--cameras", defaultValue = "4", description = "Cameras (and daemons).")
    public int cameras;

    @Option(names = "--warmup-s", defaultValue = "15", description = "Seconds before measuring.")
    public int warmupS;

    @Option(names = "--measure-s", defaultValue = "30", description = "Seconds measured.")
    public int measureS;

    @Option(
        names = "--max-fps",
        defaultValue = "0",
        description = "Each camera's max-fps; 0 for full speed (the file as fast as it is taken).")
    public double maxFps;

    @Mixin public DaemonInput input = new DaemonInput();

    @Option(
        names = "--json",
        defaultValue = "benchmarks/results/cameras.json",
        paramLabel = "FILE",
        description = "Where the result document goes.")
    public Path json;
  }
}
