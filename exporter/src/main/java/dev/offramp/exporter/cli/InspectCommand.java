package dev.offramp.exporter.cli;

import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.CutCandidate;
import dev.offramp.exporter.split.NoInteriorCutException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp inspect}: cut candidates with shapes and cumulative MACs. */
@Command(
    name = "inspect",
    description = "List a backbone's inputs, outputs, MACs and cut candidates.")
final class InspectCommand extends ToolCommand {
  @Mixin Flags.Inspect o;

  @Override
  public Integer call() throws JsonProcessingException {
    OnnxGraph graph = OnnxGraph.load(o.model);
    BackboneAnalysis a = BackboneAnalysis.analyze(graph, InputShapeOption.of(o.inputShape));
    Optional<String> noCut = noInteriorCut(a);
    PrintWriter w = out();
    if (o.json) {
      w.println(toJson(a, noCut));
    } else {
      printTable(w, a, noCut);
    }
    return 0;
  }

  private static Optional<String> noInteriorCut(BackboneAnalysis a) {
    try {
      a.cuts().requireInteriorCut();
      return Optional.empty();
    } catch (NoInteriorCutException e) {
      return Optional.of(e.getMessage());
    }
  }

  private String toJson(BackboneAnalysis a, Optional<String> noCut) throws JsonProcessingException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    OnnxGraph g = a.graph();
    ObjectNode root = mapper.createObjectNode();
    root.put("model", o.model.toString());
    root.put("sha256", g.sha256());
    root.put("opset", g.opset());
    root.put("ir_version", g.irVersion());
    ArrayNode inputs = root.putArray("inputs");
    for (ValueInfoProto in : g.inputs()) {
      ObjectNode o = tensor(mapper, in);
      ArrayNode analysed = o.putArray("analysed_shape");
      a.inputShapes().get(in.getName()).forEach(analysed::add);
      inputs.add(o);
    }
    ArrayNode outputs = root.putArray("outputs");
    for (ValueInfoProto out : g.outputs()) {
      ObjectNode o = tensor(mapper, out);
      ArrayNode analysed = o.putArray("analysed_shape");
      a.shapes().getOrDefault(out.getName(), List.of()).forEach(analysed::add);
      outputs.add(o);
    }
    root.put("total_macs", a.totalMacs());
    ArrayNode uncounted = root.putArray("uncounted_ops");
    a.macs().uncountedOps().forEach(uncounted::add);
    ArrayNode candidates = root.putArray("candidates");
    for (CutCandidate c : a.candidates()) {
      ObjectNode o = candidates.addObject();
      o.put("tensor", c.tensor());
      ArrayNode shape = o.putArray("shape");
      c.shape().forEach(shape::add);
      o.put("cumulative_macs", c.cumulativeMacs());
      o.put("cumulative_macs_fraction", c.cumulativeMacsFraction());
      o.put("producer", c.producer());
      o.put("producer_op", c.producerOp());
    }
    ArrayNode auto = root.putArray("auto_cuts");
    a.autoCuts().forEach(auto::add);
    noCut.ifPresent(m -> root.put("no_interior_cut", m));
    return mapper.writeValueAsString(root);
  }

  private static ObjectNode tensor(ObjectMapper mapper, ValueInfoProto info) {
    ObjectNode o = mapper.createObjectNode();
    o.put("name", info.getName());
    ArrayNode shape = o.putArray("shape");
    for (Object d : InputShapes.declaredDims(info)) {
      if (d instanceof Long v) {
        shape.add(v);
      } else {
        shape.add(d.toString());
      }
    }
    return o;
  }

  private void printTable(PrintWriter w, BackboneAnalysis a, Optional<String> noCut) {
    OnnxGraph g = a.graph();
    w.printf(Locale.ROOT, "model       %s%n", o.model);
    w.printf(Locale.ROOT, "opset       %d (IR version %d)%n", g.opset(), g.irVersion());
    for (ValueInfoProto in : g.inputs()) {
      w.printf(
          Locale.ROOT,
          "input       %s %s, analysed at %s%n",
          in.getName(),
          InputShapes.declaredDims(in),
          a.inputShapes().get(in.getName()));
    }
    for (ValueInfoProto out : g.outputs()) {
      w.printf(
          Locale.ROOT,
          "output      %s %s%n",
          out.getName(),
          a.shapes().getOrDefault(out.getName(), List.of()));
    }
    w.printf(Locale.ROOT, "total MACs  %,d (%.3f G)%n", a.totalMacs(), a.totalMacs() / 1e9);
    if (!a.macs().uncountedOps().isEmpty()) {
      w.printf(
          Locale.ROOT,
          "uncounted   %s (counted as 0 MACs; the total is a lower bound)%n",
          String.join(", ", a.macs().uncountedOps()));
    }
    w.println();
    if (noCut.isPresent()) {
      w.println(noCut.get());
      return;
    }
    w.printf(Locale.ROOT, "cut candidates (%d):%n", a.candidates().size());
    int width = a.candidates().stream().mapToInt(c -> c.tensor().length()).max().orElse(6);
    w.printf(
        Locale.ROOT,
        "  %2s  %-" + width + "s  %-18s  %8s  %s%n",
        "#",
        "tensor",
        "shape",
        "cum MACs",
        "producer");
    int i = 0;
    for (CutCandidate c : a.candidates()) {
      w.printf(
          Locale.ROOT,
          "  %2d  %-" + width + "s  %-18s  %7.1f%%  %s (%s)%s%n",
          i++,
          c.tensor(),
          c.shape().toString().replace(" ", ""),
          100 * c.cumulativeMacsFraction(),
          c.producer(),
          c.producerOp(),
          a.autoCuts().contains(c.tensor()) ? "  <- auto" : "");
    }
    w.println();
    w.printf(Locale.ROOT, "--cuts auto: %s%n", String.join(",", a.autoCuts()));
  }
}
