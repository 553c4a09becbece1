package dev.offramp.exporter.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.exporter.graph.Node;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.TestNets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CutAnalysisTest {
  @Test
  void proposesOnlyStemBlockOutputsAndHeadInputOfAnSeNet() {
    TestNets.Built se = TestNets.seNet(1);
    List<String> m = se.marks();
    CutAnalysis cuts = CutAnalysis.of(se.graph());
    assertEquals(
        List.of(m.get(0), m.get(1), m.get(2), m.get(3), m.get(4), m.get(6)), cuts.candidates());
  }

  @Test
  void findsNoValidCutInsideAnSeBlock() {
    TestNets.Built se = TestNets.seNet(1);
    OnnxGraph g = se.graph();
    CutAnalysis cuts = CutAnalysis.of(g);
    Node firstBlockOut = g.producer(se.marks().get(1)).orElseThrow();
    Node stem = g.producer(se.marks().get(0)).orElseThrow();
    for (Node n : g.nodes()) {
      if (n.index() > stem.index() && n.index() < firstBlockOut.index() - 1) {
        assertTrue(
            cuts.violation(n.outputs().get(0)).isPresent(), "inside SE block: " + n.displayName());
      }
    }
  }

  @Test
  void findsNoCandidateInsideTheLongSkipOfAUNet() {
    TestNets.Built u = TestNets.uNet(1);
    List<String> m = u.marks();
    OnnxGraph g = u.graph();
    CutAnalysis cuts = CutAnalysis.of(g);
    int skipSource = g.producer(m.get(0)).orElseThrow().index();
    int merge =
        g.consumers(m.get(0)).stream()
            .filter(n -> n.opType().equals("Concat"))
            .findFirst()
            .orElseThrow()
            .index();
    for (String c : cuts.candidates()) {
      int at = g.producer(c).orElseThrow().index();
      assertTrue(at <= skipSource || at >= merge, "candidate inside the skip: " + c);
    }
    assertTrue(cuts.candidates().containsAll(List.of(m.get(0), m.get(1), m.get(2))));
    CutViolation v = cuts.violation(m.get(3)).orElseThrow();
    assertEquals("Concat", v.opType());
    assertEquals(m.get(0), v.tensor());
  }

  @Test
  void refusesAModelWithoutInteriorCutSayingSo() {
    OnnxGraph g = OnnxGraph.of(TestNets.noInteriorCut(1));
    CutAnalysis cuts = CutAnalysis.of(g);
    assertEquals(List.of(), cuts.validCuts());
    NoInteriorCutException e = assertThrows(NoInteriorCutException.class, cuts::requireInteriorCut);
    assertTrue(e.getMessage().contains("has no interior cut"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be split"), e.getMessage());
    assertThrows(NoInteriorCutException.class, () -> cuts.resolve(List.of("anything")));
  }

  @Test
  void suggestsTheNearestCandidatesForAnUnknownCut() {
    TestNets.Built se = TestNets.seNet(1);
    String real = se.marks().get(1);
    String typo = real.replace("Relu", "Relv");
    CutException e =
        assertThrows(CutException.class, () -> CutAnalysis.of(se.graph()).resolve(List.of(typo)));
    assertTrue(e.getMessage().startsWith("unknown cut tensor '" + typo + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("nearest candidates: " + real), e.getMessage());
  }

  @Test
  void namesTheNodeThatNeedsATensorFromBeforeAnInvalidCut() {
    TestNets.Built se = TestNets.seNet(1);
    OnnxGraph g = se.graph();
    String sePool = se.marks().get(5);
    Node mul = g.consumers(sePool).get(0);
    while (!mul.opType().equals("Mul")) {
      mul = g.consumers(mul.outputs().get(0)).get(0);
    }
    Node gateMul = mul;
    CutException e =
        assertThrows(CutException.class, () -> CutAnalysis.of(g).resolve(List.of(sePool)));
    assertTrue(e.getMessage().contains("'" + sePool + "' is not a valid cut"), e.getMessage());
    assertTrue(
        e.getMessage().contains("node '" + gateMul.displayName() + "' (Mul)"), e.getMessage());
    assertTrue(e.getMessage().contains(gateMul.inputs().get(0)), e.getMessage());
  }

  @Test
  void refusesInputsOutputsConstantsAndDuplicatesAsCuts() {
    TestNets.Built net = TestNets.sharedConstants(1);
    CutAnalysis cuts = CutAnalysis.of(net.graph());
    String output = net.graph().outputNames().get(0);
    assertEquals(
        Optional.of(
            "'image' is the model's input; a cut must be an interior tensor" + " between them."),
        cuts.explainInvalid("image"));
    assertTrue(cuts.explainInvalid(output).orElseThrow().contains("model's output"));
    String param = net.graph().initializers().keySet().iterator().next();
    assertTrue(cuts.explainInvalid(param).orElseThrow().contains("is a constant"));
    String a = net.marks().get(0);
    CutException e = assertThrows(CutException.class, () -> cuts.resolve(List.of(a, a)));
    assertTrue(e.getMessage().contains("given twice"), e.getMessage());
  }

  @Test
  void ordersCutsTopologically() {
    TestNets.Built net = TestNets.sharedConstants(1);
    List<String> m = net.marks();
    assertEquals(m, CutAnalysis.of(net.graph()).resolve(List.of(m.get(1), m.get(0))));
  }
}
