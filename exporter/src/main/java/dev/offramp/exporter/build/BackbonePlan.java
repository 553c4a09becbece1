package dev.offramp.exporter.build;

import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.exporter.data.DatasetException;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.FeatureExtractor;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.train.HeadSettings;
import dev.offramp.exporter.train.HeadShape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A backbone analysed at the input the build feeds it: its graph, cut candidates and MACs, the
 * resolved input (size, color, normalisation), and what follows from them for any choice of cuts
 * and heads: cut specs, head shapes, MACs through each stage, and a feature extractor. The first
 * step of {@code build}, and the grid's for every placement. Immutable.
 *
 * @param graph the backbone
 * @param analysis shapes, MACs and cut candidates at {@code input}'s size
 * @param input the resolved input
 * @param dynamicBatch whether the declared input's batch axis is symbolic
 */
public record BackbonePlan(
    OnnxGraph graph, BackboneAnalysis analysis, InputOptions input, boolean dynamicBatch) {

  /**
   * Analyses {@code graph} at the input {@code settings} ask for.
   *
   * @throws IllegalArgumentException when the input is not NCHW or the color does not fit it
   */
  public static BackbonePlan of(OnnxGraph graph, InputSettings settings) {
    return of(graph, settings, InputShapes.ShapeFlag.SIZE);
  }

  /**
   * {@link #of(OnnxGraph, InputSettings)} for a command whose shape flag is {@code flag} ({@code
   * build} has {@code --size}; the grid bench none).
   */
  public static BackbonePlan of(
      OnnxGraph graph, InputSettings settings, InputShapes.ShapeFlag flag) {
    String inputName = graph.inputNames().get(0);
    List<Object> declared = InputShapes.declaredDims(graph.inputs().get(0));
    int channels = 1;
    if (declared.size() == 4 && declared.get(1) instanceof Long c) {
      channels = Math.toIntExact(c);
    }
    BackboneAnalysis analysis =
        BackboneAnalysis.analyze(graph, settings.requestedShape(channels), flag);
    InputOptions in = settings.resolve(inputName, analysis.inputShapes().get(inputName));
    boolean dynamic = !declared.isEmpty() && !(declared.get(0) instanceof Long);
    return new BackbonePlan(graph, analysis, in, dynamic);
  }

  /** The image input's name. */
  public String inputName() {
    return graph.inputNames().get(0);
  }

  /** The logits output's name (the backbone's first output). */
  public String logitsName() {
    return graph.outputNames().get(0);
  }

  /** The manifest's input section. */
  public InputSpec spec() {
    return input.toSpec(inputName());
  }

  /** The backbone's MACs at this input. */
  public long macs() {
    return analysis.totalMacs();
  }

  /**
   * Checks the backbone's logits have one value per class of {@code classes}.
   *
   * @param dataSpec the dataset's SPEC, for the message
   * @throws DatasetException when they differ
   */
  public void requireClasses(List<String> classes, String dataSpec) {
    List<Long> out = analysis.shapes().get(logitsName());
    if (out != null && !out.isEmpty() && out.get(out.size() - 1) != classes.size()) {
      throw new DatasetException(
          "the backbone's output '"
              + logitsName()
              + "' has "
              + out.get(out.size() - 1)
              + " classes but dataset "
              + dataSpec
              + " has "
              + classes.size()
              + " ("
              + classes
              + "); expected the same: use the dataset the backbone was trained on");
    }
  }

  /**
   * The head inputs at {@code cuts}: cut k pooled to {@code heads.gridAt(k)}.
   *
   * @throws IllegalArgumentException when a cut is not an NCHW map
   */
  public List<CutSpec> cutSpecs(List<String> cuts, HeadSettings heads) {
    List<CutSpec> out = new ArrayList<>();
    for (int k = 0; k < cuts.size(); k++) {
      out.add(cutSpec(cuts.get(k), heads.gridAt(k)));
    }
    return List.copyOf(out);
  }

  /** The head input at {@code cut} pooled to {@code grid}. */
  public CutSpec cutSpec(String cut, int grid) {
    List<Long> s = analysis.shapes().get(cut);
    if (s == null || s.size() != 4) {
      throw new IllegalArgumentException(
          "cut " + cut + ": expected an NCHW feature map, found shape " + s);
    }
    return new CutSpec(
        cut, (int) (long) s.get(1), (int) (long) s.get(2), (int) (long) s.get(3), grid);
  }

  /** The shapes of heads on {@code cuts} for {@code classes} classes. */
  public static List<HeadShape> heads(List<CutSpec> cuts, HeadSettings heads, int classes) {
    return cuts.stream()
        .map(c -> heads.shape(c.channels(), c.height(), c.width(), c.grid(), classes))
        .toList();
  }

  /**
   * MACs of running the first s stages, s = 0..cuts+1: the backbone up to cut s−1 plus heads
   * 0..s−1; the last entry is the whole backbone plus every head.
   */
  public long[] macsThrough(List<CutSpec> cuts, List<HeadShape> heads) {
    long[] out = new long[cuts.size() + 2];
    long headSum = 0;
    for (int k = 0; k < cuts.size(); k++) {
      headSum += heads.get(k).macs();
      out[k + 1] = analysis.cumulativeMacs(cuts.get(k).tensor()) + headSum;
    }
    out[cuts.size() + 1] = analysis.totalMacs() + headSum;
    return out;
  }

  /** A feature extractor over this backbone keeping every pair of {@code pooling}; close it. */
  public FeatureExtractor extractor(Collection<CutSpec> pooling, int classes) {
    return new FeatureExtractor(
        graph.model(), inputName(), logitsName(), pooling, spec(), dynamicBatch, classes);
  }

  /** Resolves {@code --cuts} ({@code auto} or names) against this backbone. */
  public List<String> resolveCuts(String cuts) {
    return analysis.resolveCuts(cuts);
  }
}
