package dev.offramp.exporter.cli;

import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.verify.StageChainVerifier;
import dev.offramp.exporter.verify.StageSources;
import dev.offramp.exporter.verify.StageSpec;
import dev.offramp.exporter.verify.TensorError;
import dev.offramp.exporter.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code offramp verify}: chained stages equal the backbone, tensor by tensor. */
@Command(
    name = "verify",
    description = "Check that chained stages compute what the backbone computes.")
final class VerifyCommand extends ToolCommand {
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

  @Override
  public Integer call() {
    if (samples < 1) {
      throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("--tolerance must be >= 0, got " + tolerance);
    }
    PrintWriter w = out();
    OnnxGraph graph = OnnxGraph.load(backbone);
    List<StageSpec> stages = StageSources.discover(dir, graph);
    List<float[]> real = data == null ? List.of() : RealInputs.load(dir, data, dataSamples, seed);
    VerificationReport report =
        StageChainVerifier.verify(
            graph, stages, samples, seed, InputShapeOption.of(inputShape), real);
    w.printf(
        Locale.ROOT,
        "%-5s  %-12s  %-12s  %-4s  %s%n",
        "stage",
        "max_abs",
        "max_rel",
        "ok",
        "tensor");
    for (TensorError e : report.errors()) {
      w.printf(
          Locale.ROOT,
          "%-5d  %-12.3e  %-12.3e  %-4s  %s%n",
          e.stage(),
          e.maxAbsoluteError(),
          e.maxRelativeError(),
          e.within(tolerance) ? "ok" : "FAIL",
          e.tensor());
    }
    boolean pass = report.passes(tolerance);
    w.printf(
        Locale.ROOT,
        "%s: %d stages, %d samples, worst relative error %.3e (tolerance %.1e)%n",
        pass ? "PASS" : "FAIL",
        stages.size(),
        report.samples(),
        report.worstRelativeError(),
        tolerance);
    return pass ? 0 : 1;
  }
}
