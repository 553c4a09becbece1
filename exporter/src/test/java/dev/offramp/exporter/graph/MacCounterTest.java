package dev.offramp.exporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacCounterTest {
  private static MacReport count(OnnxGraphBuilder b) {
    OnnxGraph g = OnnxGraph.of(b.build());
    var inputs = InputShapes.resolve(g, Optional.empty());
    return MacCounter.count(g, ShapeProbe.probe(g, inputs, MacCounter.tensorsNeeded(g)));
  }

  @ParameterizedTest(name = "Conv in={0} out={1} k={2} s={3} p={4} d={5} g={6} on {7}x{7}")
  @CsvSource({
    "3, 8, 3, 1, 1, 1, 1, 16",
    "8, 16, 3, 2, 1, 1, 1, 15",
    "8, 8, 3, 1, 2, 2, 8, 16",
    "4, 8, 5, 2, 0, 1, 2, 17",
    "6, 12, 1, 3, 0, 1, 3, 10"
  })
  void countsConvFromGroupsStridesDilationsAndPadding(
      int in, int out, int k, int s, int p, int d, int groups, int size) {
    OnnxGraphBuilder b = new OnnxGraphBuilder("conv", 13, 1);
    b.output(b.conv(b.input("x", in, size, size), out, k, s, p, d, groups));
    long outSize = (size + 2L * p - d * (k - 1L) - 1) / s + 1;
    long expected = out * outSize * outSize * (in / groups) * k * k;
    MacReport r = count(b);
    assertEquals(expected, r.total());
    assertEquals(List.of(), r.uncountedOps());
  }

  @Test
  void countsConvTransposePerInputElement() {
    OnnxGraphBuilder b = new OnnxGraphBuilder("deconv", 13, 1);
    b.output(b.convTranspose(b.input("x", 8, 5, 5), 4, 2, 2));
    assertEquals(8L * 5 * 5 * 4 * 2 * 2, count(b).total());
  }

  @Test
  void countsGemmAndMatMulByTheirInnerDimension() {
    OnnxGraphBuilder b = new OnnxGraphBuilder("fc", 13, 1);
    String flat = b.flatten(b.input("x", 8, 4, 4));
    b.output(b.gemm(flat, 10));
    b.output(b.matMul(flat, 7));
    MacReport r = count(b);
    assertEquals(128L * 10 + 128L * 7, r.total());
    assertEquals(List.of(0L, 1280L, 896L), r.perNode());
  }

  @Test
  void countsAnUnsupportedOpAsZeroAndListsIt() {
    OnnxGraph g = OnnxGraph.of(TestNets.withEinsum(1));
    var inputs = InputShapes.resolve(g, Optional.empty());
    MacReport r = MacCounter.count(g, ShapeProbe.probe(g, inputs, MacCounter.tensorsNeeded(g)));
    assertEquals(List.of("Einsum"), r.uncountedOps());
    assertEquals(4L * 8 * 8 * 3 * 9 + 4L * 3, r.total());
  }
}
