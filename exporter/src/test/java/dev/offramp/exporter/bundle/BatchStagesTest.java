package dev.offramp.exporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.offramp.cascade.bundle.BackboneInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.Expected;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.bundle.TrainingInfo;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.graph.OnnxProtos;
import dev.offramp.exporter.graph.TestNets;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.split.GraphSplitter;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.testing.TinyData;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.HeadWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Merged stage graphs carry a dynamic batch dimension: in real ONNX Runtime, stage k on a batch of
 * N frames gives what N single runs give, for the exporter's deep and residual test backbones.
 */
class BatchStagesTest {
  private static final int CLASSES = 4;

  @TempDir static Path shared;

  static Stream<Arguments> backbones() throws IOException {
    Path tiny = TinyData.backbone(shared.resolve("tiny-backbone"), 10);
    return Stream.of(
        Arguments.of("se-net", TestNets.seNet(5).graph()),
        Arguments.of("u-net", TestNets.uNet(5).graph()),
        Arguments.of("shared-constants", TestNets.sharedConstants(5).graph()),
        Arguments.of("tiny-resnet", OnnxGraph.load(tiny)),
        Arguments.of("se-net at fixed batch 1", fixedBatchOne(TestNets.seNet(5).graph())));
  }

  /** Split at the auto cuts, random heads merged, as {@code offramp build} merges them. */
  private static Merged merge(OnnxGraph graph, long seed) {
    return merge(graph, seed, CLASSES);
  }

  private static Merged merge(OnnxGraph graph, long seed, int classes) {
    BackboneAnalysis a = BackboneAnalysis.analyze(graph, Optional.empty());
    List<String> cuts = a.autoCuts();
    List<StageGraph> stages = GraphSplitter.split(a, cuts);
    Random r = new Random(seed);
    List<HeadWeights> heads = new ArrayList<>();
    for (String cut : cuts) {
      List<Long> s = a.shapes().get(cut);
      HeadShape shape =
          new HeadShape(
              s.get(1).intValue(), s.get(2).intValue(), s.get(3).intValue(), 2, 6, 2, classes);
      heads.add(
          new HeadWeights(
              shape,
              List.of(random(r, 6 * shape.channels() * 3), random(r, 6 * 6 * 3)),
              List.of(random(r, 6), random(r, 6)),
              random(r, classes * 6),
              random(r, classes)));
    }
    String input = graph.inputs().get(0).getName();
    String logits = graph.outputs().get(0).getName();
    List<Long> in = a.inputShapes().get(input);
    return new Merged(
        StageMerger.mergeWeights(stages, cuts, heads, logits),
        StageMerger.feeds(input, cuts),
        StageMerger.outputs(cuts),
        in.stream().mapToLong(Long::longValue).toArray(),
        stages,
        cuts,
        heads.stream().map(HeadWeights::shape).toList(),
        a.totalMacs());
  }

  private record Merged(
      List<ModelProto> stages,
      List<String> feeds,
      List<List<String>> outputs,
      long[] shape,
      List<StageGraph> graphs,
      List<String> cuts,
      List<HeadShape> heads,
      long macs) {}

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * 0.3);
    }
    return a;
  }

  private static List<float[]> frames(long[] shape, int n, Random r) {
    int size = 1;
    for (long d : shape) {
      size *= (int) d;
    }
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(random(r, size));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backbones")
  void aBatchOfOneTwoOrFourFramesEqualsSingleRunsAtEveryStage(String name, OnnxGraph graph) {
    Merged m = merge(graph, 3);
    assertTrue(m.stages().size() >= 2, name + " has an interior cut");
    Random r = new Random(9);
    for (int n : new int[] {1, 2, 4}) {
      double worst =
          BatchProof.check(m.stages(), m.feeds(), m.outputs(), frames(m.shape(), n, r), m.shape());
      assertTrue(worst <= BatchProof.TOLERANCE, name + " at batch " + n + ": " + worst);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backbones")
  void everyStageInputFeaturesAndExitProbsDeclareTheSymbolicBatch(String name, OnnxGraph graph) {
    Merged m = merge(graph, 1);
    for (int k = 0; k < m.stages().size(); k++) {
      GraphProto g = m.stages().get(k).getGraph();
      List<String> named = new ArrayList<>(List.of(m.feeds().get(k)));
      if (k < m.stages().size() - 1) {
        named.addAll(m.outputs().get(k)); // features and exit probs; the final softmax keeps
        // the rank of the backbone's logits, which is left to ONNX Runtime
      }
      List<ValueInfoProto> io = new ArrayList<>(g.getInputList());
      io.addAll(g.getOutputList());
      int seen = 0;
      for (ValueInfoProto v : io) {
        if (named.contains(v.getName())) {
          seen++;
          TensorShapeProto.Dimension first = v.getType().getTensorType().getShape().getDim(0);
          assertEquals(BatchDims.BATCH, first.getDimParam(), name + ": " + v.getName());
        }
      }
      assertEquals(named.size(), seen, name + " stage " + k + ": " + named);
    }
  }

  @Test
  void aWrittenBundleRunsBatchedInTheCascadeWithTheAnswersOfSingleFrames(@TempDir Path dir)
      throws IOException {
    OnnxGraph graph = OnnxGraph.load(TinyData.backbone(dir.resolve("backbone"), 10));
    Merged m = merge(graph, 4, 10);
    int exits = m.cuts().size();
    double[][] rows = new double[exits][10];
    for (double[] row : rows) {
      Arrays.fill(row, 0.2);
    }
    double[] rates = new double[exits + 1];
    rates[exits] = 1;
    Profile profile =
        new Profile("p", 0.05, ThresholdTable.of(rows), new Expected(0.5, 1.0, rates));
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      classes.add("c" + c);
    }
    Bundle bundle =
        BundleWriter.write(
            dir.resolve("bundle"),
            m.stages(),
            m.graphs(),
            m.cuts(),
            m.heads(),
            new BundleWriter.Contents(
                "batch-test",
                classes,
                new InputSpec(
                    m.feeds().get(0),
                    m.shape(),
                    ColorMode.GRAY,
                    1.0 / 255,
                    new double[] {0.5},
                    new double[] {0.25}),
                new BackboneInfo(
                    "0".repeat(64), m.macs(), List.of(graph.outputs().get(0).getName())),
                Map.of("p", profile),
                "p",
                new TrainingInfo("boosted", "backbone", "survivors", 4)));
    try (CascadeExecutor ex = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      assertTrue(ex.batched(), "a bundle written now has batch-capable stages");
      List<float[]> frames = frames(m.shape(), 4, new Random(6));
      for (ExitPolicy policy : List.of(ExitPolicy.neverExit(), ExitPolicy.profile(profile))) {
        List<Classification> batch = ex.classifyBatch(frames, policy);
        for (int i = 0; i < frames.size(); i++) {
          Classification one = ex.classify(frames.get(i), policy);
          assertEquals(one.classId(), batch.get(i).classId());
          assertEquals(one.exitStage(), batch.get(i).exitStage());
          for (int c = 0; c < 10; c++) {
            assertEquals(one.probs()[c], batch.get(i).probs()[c], BatchProof.TOLERANCE);
          }
        }
      }
    }
  }

  @Test
  void aFixedBatchReshapeIsCaughtWithoutTheRewriteAndFixedByIt() {
    OnnxGraph fixed = fixedBatchOne(TestNets.seNet(5).graph());
    BackboneAnalysis a = BackboneAnalysis.analyze(fixed, Optional.empty());
    List<StageGraph> stages = GraphSplitter.split(a, a.autoCuts());
    // The bare last stage, as before this change, cannot take a batch of 2.
    StageGraph last = stages.get(stages.size() - 1);
    ModelProto bare = HeadGraph.withFinalSoftmax(last.model(), fixed.outputs().get(0).getName());
    List<Long> cutShape = a.shapes().get(last.inputs().get(0));
    long[] shape = cutShape.stream().mapToLong(Long::longValue).toArray();
    List<float[]> two = frames(shape, 2, new Random(2));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                BatchProof.check(
                    List.of(bare),
                    List.of(last.inputs().get(0)),
                    List.of(List.of(HeadGraph.FINAL_PROBS)),
                    two,
                    shape));
    assertTrue(e.getMessage().contains("dynamic batch axis"), e.getMessage());
    // With the rewrite, the same stage runs the batch.
    double worst =
        BatchProof.check(
            List.of(BatchDims.dynamic(bare)),
            List.of(last.inputs().get(0)),
            List.of(List.of(HeadGraph.FINAL_PROBS)),
            two,
            shape);
    assertTrue(worst <= BatchProof.TOLERANCE);
  }

  @Test
  void aReshapeOfAConstantOrWithAnotherLeadingSizeIsLeftAlone() {
    ModelProto m =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setGraph(
                GraphProto.newBuilder()
                    .addInitializer(OnnxProtos.int64("keep", 2, -1))
                    .addNode(
                        OnnxProtos.node("Reshape", "r", new String[] {"x", "keep"}, "y").build()))
            .build();
    ModelProto out = BatchDims.dynamic(m);
    assertEquals("keep", out.getGraph().getNode(0).getInput(1));
  }

  /**
   * The net as exported at a fixed batch of 1: input dimension 0 is 1 and the Flatten before the
   * classifier is a Reshape to {@code [1, -1]}.
   */
  static OnnxGraph fixedBatchOne(OnnxGraph graph) {
    GraphProto.Builder g = graph.model().getGraph().toBuilder();
    g.getInputBuilder(0)
        .getTypeBuilder()
        .getTensorTypeBuilder()
        .getShapeBuilder()
        .setDim(0, TensorShapeProto.Dimension.newBuilder().setDimValue(1));
    g.addInitializer(OnnxProtos.int64("fixed_flat_shape", 1, -1));
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      if (n.getOpType().equals("Flatten")) {
        g.setNode(
            i,
            OnnxProtos.node(
                    "Reshape",
                    n.getName() + "_fixed",
                    new String[] {n.getInput(0), "fixed_flat_shape"},
                    n.getOutput(0))
                .build());
      }
    }
    return OnnxGraph.of(graph.model().toBuilder().setGraph(g).build());
  }
}
