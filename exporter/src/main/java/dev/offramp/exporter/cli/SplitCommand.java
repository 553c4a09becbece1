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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code offramp split}: writes one ONNX graph per stage and proves each loads. */
@Command(
    name = "split",
    description = "Cut a backbone into stage-0.onnx … stage-N.onnx at the given cuts.")
final class SplitCommand extends ToolCommand {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The backbone.")
  Path model;

  @Option(
      names = "--cuts",
      required = true,
      paramLabel = "auto|T1,T2,…",
      description = "'auto' (ends of residual stages) or cut tensor names from inspect.")
  String cuts;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(
      names = "--input-shape",
      paramLabel = "N,C,H,W",
      converter = InputShapeOption.class,
      description = "Input shape for MAC counting; needed when H or W is symbolic.")
  List<Long> inputShape;

  @Override
  public Integer call() {
    PrintWriter w = out();
    OnnxGraph graph = OnnxGraph.load(model);
    BackboneAnalysis analysis = BackboneAnalysis.analyze(graph, InputShapeOption.of(inputShape));
    List<String> chosen = analysis.resolveCuts(cuts);
    List<StageGraph> stages = GraphSplitter.split(analysis, chosen);
    List<Path> files = StageWriter.write(stages, out);
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
            + " --backbone %s%n",
        stages.size(),
        out,
        out,
        model);
    return 0;
  }
}
