package dev.offramp.exporter.cli;

import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.verify.StageChainVerifier;
import dev.offramp.exporter.verify.StageSources;
import dev.offramp.exporter.verify.StageSpec;
import dev.offramp.exporter.verify.TensorError;
import dev.offramp.exporter.verify.VerificationReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp verify}: chained stages equal the backbone, tensor by tensor. */
@Command(
    name = "verify",
    description = "Check that chained stages compute what the backbone computes.")
final class VerifyCommand extends ToolCommand {
  @Mixin Flags.Verify o;

  @Override
  public Integer call() {
    if (o.samples < 1) {
      throw new IllegalArgumentException("--samples must be >= 1, got " + o.samples);
    }
    if (!(o.tolerance >= 0)) {
      throw new IllegalArgumentException("--tolerance must be >= 0, got " + o.tolerance);
    }
    PrintWriter w = out();
    OnnxGraph graph = OnnxGraph.load(o.backbone);
    List<StageSpec> stages = StageSources.discover(o.dir, graph);
    List<float[]> real =
        o.data == null ? List.of() : RealInputs.load(o.dir, o.data, o.dataSamples, o.seed);
    VerificationReport report =
        StageChainVerifier.verify(
            graph, stages, o.samples, o.seed, InputShapeOption.of(o.inputShape), real);
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
          e.within(o.tolerance) ? "ok" : "FAIL",
          e.tensor());
    }
    boolean pass = report.passes(o.tolerance);
    w.printf(
        Locale.ROOT,
        "%s: %d stages, %d samples, worst relative error %.3e (tolerance %.1e)%n",
        pass ? "PASS" : "FAIL",
        stages.size(),
        report.samples(),
        report.worstRelativeError(),
        o.tolerance);
    return pass ? 0 : 1;
  }
}
