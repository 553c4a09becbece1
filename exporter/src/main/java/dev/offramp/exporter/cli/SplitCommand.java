package dev.offramp.exporter.cli;

import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.GraphSplitter;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.split.StageWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp split}: writes one ONNX graph per stage and proves each loads. */
@Command(
    name = "split",
    description = "Cut a backbone into stage-0.onnx … stage-N.onnx at the given cuts.")
final class SplitCommand extends ToolCommand {
  @Mixin Flags.Split o;

  @Override
  public Integer call() {
    PrintWriter w = out();
    OnnxGraph graph = OnnxGraph.load(o.model);
    BackboneAnalysis analysis = BackboneAnalysis.analyze(graph, InputShapeOption.of(o.inputShape));
    List<String> chosen = analysis.resolveCuts(o.cuts);
    List<StageGraph> stages = GraphSplitter.split(analysis, chosen);
    List<Path> files = StageWriter.write(stages, o.out);
    for (StageGraph s : stages) {
      w.printf(
          Locale.ROOT,
          "%s  %s -> %s  %,d MACs (%.1f%%)%n",
          files.get(s.index()),
          s.input(),
          String.join(",", s.outputs()),
          s.macs(),
          analysis.totalMacs() == 0 ? 0.0 : 100.0 * s.macs() / analysis.totalMacs());
    }
    w.printf(
        Locale.ROOT,
        "wrote %d stages to %s; each loads in ONNX Runtime. Check them with: offramp verify %s"
            + " --backbone %s%s%n",
        stages.size(),
        o.out,
        o.out,
        o.model,
        o.inputShape == null
            ? ""
            : " --input-shape "
                + String.join(",", o.inputShape.stream().map(String::valueOf).toList()));
    return 0;
  }
}
