package dev.offramp.exporter.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.TestNets;
import dev.offramp.exporter.verify.StageChainVerifier;
import dev.offramp.exporter.verify.StageSources;
import dev.offramp.exporter.verify.VerificationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SplitBuiltNetsTest {
  @TempDir Path dir;

  static Stream<TestNets.Built> nets() {
    return Stream.of(TestNets.seNet(3), TestNets.uNet(3), TestNets.sharedConstants(3));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("nets")
  void chainedStagesEqualTheBackboneAtEveryCandidateAndAtAutoCuts(TestNets.Built net) {
    BackboneAnalysis a = BackboneAnalysis.analyze(net.graph(), Optional.empty());
    for (List<String> cuts : List.of(a.cuts().candidates(), a.autoCuts())) {
      Path out = dir.resolve("cuts-" + cuts.size());
      List<StageGraph> stages = GraphSplitter.split(a, cuts);
      assertEquals(cuts.size() + 1, stages.size());
      assertEquals(a.totalMacs(), stages.stream().mapToLong(StageGraph::macs).sum());
      StageWriter.write(stages, out);
      VerificationReport r =
          StageChainVerifier.verify(
              net.graph(), StageSources.discover(out, net.graph()), 2, 7, Optional.empty());
      assertEquals(cuts.size() + 1, r.errors().size());
      assertTrue(r.passes(1e-5), r.toString());
    }
  }

  @Test
  void autoCutsEndTheFirstResidualStageOfTheSeNet() {
    TestNets.Built se = TestNets.seNet(1);
    assertEquals(
        List.of(se.marks().get(2)),
        BackboneAnalysis.analyze(se.graph(), Optional.empty()).autoCuts());
  }

  @Test
  void autoCutsFallBackToEvenlySpacedMacsWithoutResidualStages() {
    TestNets.Built net = TestNets.sharedConstants(1);
    BackboneAnalysis a = BackboneAnalysis.analyze(net.graph(), Optional.empty());
    assertEquals(3, a.autoCuts().size());
    assertTrue(a.cuts().candidates().containsAll(a.autoCuts()));
    double first = a.cumulativeMacs(a.autoCuts().get(0)) / (double) a.totalMacs();
    for (CutCandidate c : a.candidates()) {
      assertTrue(
          Math.abs(first - 0.25) <= Math.abs(c.cumulativeMacsFraction() - 0.25),
          "first auto cut is the candidate nearest 25% of the MACs");
    }
  }

  @Test
  void eachStageCarriesItsOwnCopyOfSharedConstantsAndOnlyTheInitializersItUses() {
    TestNets.Built net = TestNets.sharedConstants(1);
    OnnxGraph g = net.graph();
    BackboneAnalysis a = BackboneAnalysis.analyze(g, Optional.empty());
    List<StageGraph> stages = GraphSplitter.split(a, net.marks());
    for (int k : new int[] {0, 2}) {
      var graph = stages.get(k).model().getGraph();
      assertTrue(
          graph.getNodeList().stream().map(NodeProto::getOpType).anyMatch("Constant"::equals),
          "stage " + k + " has the Constant node");
      assertTrue(
          graph.getInitializerList().stream().anyMatch(t -> t.getName().startsWith("param_")),
          "stage " + k + " has the shared initializer");
    }
    var middle = stages.get(1).model().getGraph();
    assertEquals(2, middle.getInitializerCount(), "conv weight and bias only");
    assertTrue(middle.getNodeList().stream().noneMatch(n -> n.getOpType().equals("Constant")));
  }
}
