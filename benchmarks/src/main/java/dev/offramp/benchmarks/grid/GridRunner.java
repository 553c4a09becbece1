package dev.offramp.benchmarks.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.Cpm;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainedHead;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the boosted-vs-baseline grid end to end and resumably: one JSON file per finished
 * configuration under {@code out/configs/}; a configuration whose file is present, readable and
 * recorded with the same settings is skipped. Work is shared where the method allows: the backbone
 * runs once per split for all placements and head grids ({@link FeatureBank}), the baseline's
 * branches are trained once per (placement, head) and calibrated at every margin (its training does
 * not depend on the margin), and the boosted branches are trained once per configuration (its
 * survivors depend on the margin). Exporter classes are called directly; no bundle is written.
 * Stateless.
 */
public final class GridRunner {
  private GridRunner() {}

  /**
   * What a run did.
   *
   * @param computed configurations computed by this run
   * @param skipped configurations found finished
   * @param summary the aggregated grid document (also written to {@code grid.json})
   */
  public record Outcome(List<String> computed, List<String> skipped, Map<String, Object> summary) {
    public Outcome {
      computed = List.copyOf(computed);
      skipped = List.copyOf(skipped);
    }
  }

  /** Runs (or resumes) the grid and writes the aggregate. */
  public static Outcome run(GridSettings s, GridSpec spec, PrintWriter progress) {
    long start = System.nanoTime();
    OnnxGraph graph = OnnxGraph.load(s.backbone());
    BackboneAnalysis analysis = BackboneAnalysis.analyze(graph, Optional.empty());
    Map<String, List<String>> cutsOf = new LinkedHashMap<>();
    for (GridSpec.Placement p : spec.placements()) {
      cutsOf.put(p.name(), p.resolve(analysis));
    }
    Path configs = s.out().resolve("configs");
    JsonNode fingerprint = Json.tree(s.fingerprint());
    List<String> computed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, List<Double>> todo = new LinkedHashMap<>();
    for (GridSpec.Placement p : spec.placements()) {
      for (GridSpec.Head h : spec.heads()) {
        List<Double> missing = new ArrayList<>();
        for (double m : spec.margins()) {
          String id = GridSpec.id(p, h, m);
          if (finished(configs.resolve(id + ".json"), fingerprint, graph.sha256(), progress)) {
            skipped.add(id);
          } else {
            missing.add(m);
          }
        }
        if (!missing.isEmpty()) {
          todo.put(p.name() + "|" + h.name(), missing);
        }
      }
    }
    progress.printf(
        "grid: %d configurations, %d finished, %d to compute%n",
        spec.size(), skipped.size(), spec.size() - skipped.size());
    if (!todo.isEmpty()) {
      computed.addAll(compute(s, spec, graph, analysis, cutsOf, todo, configs, progress));
    }
    Map<String, Object> summary =
        GridReport.write(s, spec, cutsOf, analysis, (System.nanoTime() - start) / 1e9);
    return new Outcome(computed, skipped, summary);
  }

  private static boolean finished(
      Path file, JsonNode fingerprint, String backboneSha, PrintWriter progress) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try {
      JsonNode n = Json.read(file);
      if (fingerprint.equals(n.get("settings"))
          && backboneSha.equals(n.path("backbone_sha256").asText())
          && n.has("winner")) {
        return true;
      }
      progress.printf(
          "grid: %s was made with other settings or another backbone; recomputing it%n",
          file.getFileName());
    } catch (RuntimeException e) {
      progress.printf("grid: %s is unreadable (%s); recomputing it%n", file, e.getMessage());
    }
    return false;
  }

  private static List<String> compute(
      GridSettings s,
      GridSpec spec,
      OnnxGraph graph,
      BackboneAnalysis analysis,
      Map<String, List<String>> cutsOf,
      Map<String, List<Double>> todo,
      Path configs,
      PrintWriter progress) {
    String inputName = graph.inputNames().get(0);
    List<Long> inShape = analysis.inputShapes().get(inputName);
    int channels = (int) (long) inShape.get(1);
    ColorMode color = channels == 1 ? ColorMode.GRAY : ColorMode.RGB;
    InputOptions in =
        new InputOptions(
            (int) (long) inShape.get(3),
            (int) (long) inShape.get(2),
            color,
            InputOptions.DEFAULT_SCALE,
            s.mean(),
            s.std());
    InputSpec inputSpec = in.toSpec(inputName);
    Dataset data = DatasetLoader.load(s.data(), in, s.validFraction(), s.seed());
    int classes = data.classes().size();
    ImageSet train = limit(data.train(), classes, s.trainLimit(), s.seed());
    ImageSet valid = limit(data.valid(), classes, s.validLimit(), s.seed());
    ImageSet test = limit(data.test(), classes, s.testLimit(), s.seed());
    progress.printf(
        "grid: %d train, %d calibration, %d test images%n",
        train.size(), valid.size(), test.size());

    Map<String, int[]> cutDims = new TreeMap<>();
    Set<Integer> grids = new LinkedHashSet<>();
    for (String key : todo.keySet()) {
      String[] ph = key.split("\\|");
      for (String c : cutsOf.get(ph[0])) {
        List<Long> sh = analysis.shapes().get(c);
        cutDims.put(
            c, new int[] {(int) (long) sh.get(1), (int) (long) sh.get(2), (int) (long) sh.get(3)});
      }
      grids.add(head(spec, ph[1]).grid());
    }
    List<Object> declared = InputShapes.declaredDims(graph.inputs().get(0));
    boolean dynamic = !declared.isEmpty() && !(declared.get(0) instanceof Long);
    FeatureBank fTrain =
        FeatureBank.extract(graph, cutDims, grids, inputSpec, dynamic, classes, train, "train");
    FeatureBank fValid =
        FeatureBank.extract(graph, cutDims, grids, inputSpec, dynamic, classes, valid, "valid");
    FeatureBank fTest =
        FeatureBank.extract(graph, cutDims, grids, inputSpec, dynamic, classes, test, "test");

    TrainSettings ts = new TrainSettings(s.epochs(), s.batchSize(), s.lr(), s.seed(), 0);
    List<String> done = new ArrayList<>();
    for (Map.Entry<String, List<Double>> e : todo.entrySet()) {
      String[] ph = e.getKey().split("\\|");
      GridSpec.Placement p = placement(spec, ph[0]);
      GridSpec.Head h = head(spec, ph[1]);
      List<String> cuts = cutsOf.get(p.name());
      List<HeadShape> shapes = new ArrayList<>();
      for (String c : cuts) {
        int[] d = cutDims.get(c);
        shapes.add(new HeadShape(d[0], d[1], d[2], h.grid(), h.width(), h.layers(), classes));
      }
      long[] macsThrough = macsThrough(analysis, cuts, shapes);
      SplitFeatures tr = fTrain.features(cuts, h.grid());
      SplitFeatures va = fValid.features(cuts, h.grid());
      SplitFeatures te = fTest.features(cuts, h.grid());
      double[] reference = Cpm.backbonePrecision(va.backboneProbs(), va.labels(), classes);
      long t0 = System.nanoTime();
      try (BranchTraining.Outcome base =
          BranchTraining.run(
              shapes,
              tr,
              va,
              new BranchTraining.Settings(
                  Scheme.BASELINE, false, false, ts, cal(e.getValue().get(0), s)))) {
        double baseSeconds = (System.nanoTime() - t0) / 1e9;
        TrainedScheme baseline =
            TrainedScheme.of(base, va, te, classes, macsThrough, analysis.totalMacs());
        for (double m : e.getValue()) {
          String id = GridSpec.id(p, h, m);
          progress.printf("grid: %s (%d of %d)%n", id, done.size() + 1, spec.size());
          long t1 = System.nanoTime();
          try (BranchTraining.Outcome boost =
              BranchTraining.run(
                  shapes,
                  tr,
                  va,
                  new BranchTraining.Settings(Scheme.BOOSTED, false, false, ts, cal(m, s)))) {
            TrainedScheme boosted =
                TrainedScheme.of(boost, va, te, classes, macsThrough, analysis.totalMacs());
            double boostSeconds = (System.nanoTime() - t1) / 1e9;
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("placement", p.name());
            doc.put("cuts", cuts);
            doc.put(
                "cut_macs_fractions",
                cuts.stream()
                    .map(c -> (double) analysis.cumulativeMacs(c) / analysis.totalMacs())
                    .toList());
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("name", h.name());
            head.put("grid", h.grid());
            head.put("width", h.width());
            head.put("layers", h.layers());
            long headMacs = shapes.stream().mapToLong(HeadShape::macs).sum();
            head.put("macs_total", headMacs);
            head.put("macs_fraction_total", (double) headMacs / analysis.totalMacs());
            doc.put("head", head);
            doc.put("margin", m);
            doc.put("settings", s.fingerprint());
            doc.put("backbone_sha256", graph.sha256());
            doc.put("backbone_macs", analysis.totalMacs());
            doc.put("test_samples", te.size());
            doc.put("calibration_samples", va.size());
            doc.put("train_samples", tr.size());
            ProfileMetrics bt = boosted.test(m, s);
            ProfileMetrics at = baseline.test(m, s);
            doc.put("backbone_accuracy", bt.backboneAccuracy());
            doc.put("boosted", boosted.json(m, s, bt, boost, boostSeconds));
            doc.put("baseline", baseline.json(m, s, at, base, baseSeconds));
            doc.put(
                "winner",
                Dominance.DEFAULT
                    .winner(
                        new Dominance.Point(bt.accuracy(), bt.macsFraction()),
                        new Dominance.Point(at.accuracy(), at.macsFraction()))
                    .key());
            Json.write(configs.resolve(id + ".json"), doc);
            done.add(id);
            progress.printf(
                Locale.ROOT,
                "grid: %s boosted acc %.4f macs %.3f | baseline acc %.4f macs %.3f -> %s%n",
                id,
                bt.accuracy(),
                bt.macsFraction(),
                at.accuracy(),
                at.macsFraction(),
                doc.get("winner"));
            progress.flush();
          }
        }
      }
    }
    return done;
  }

  /**
   * One trained scheme's exit probabilities on the calibration and test splits, with the MAC
   * accounting, so any margin can be calibrated and evaluated from it.
   */
  private record TrainedScheme(
      List<float[][]> validExits,
      float[][][] validStages,
      int[] validLabels,
      float[][][] testStages,
      int[] testLabels,
      double[] reference,
      long[] macsThrough,
      long backboneMacs,
      int classes) {
    static TrainedScheme of(
        BranchTraining.Outcome o,
        SplitFeatures va,
        SplitFeatures te,
        int classes,
        long[] macsThrough,
        long backboneMacs) {
      List<float[][]> testExits = new ArrayList<>();
      for (int k = 0; k < o.heads().size(); k++) {
        TrainedHead head = o.heads().get(k);
        testExits.add(
            BranchTraining.rows(
                head.probabilities(te.pooled().get(k), te.size()), te.size(), classes));
      }
      return new TrainedScheme(
          o.validExitProbs(),
          stack(o.validExitProbs(), va.backboneProbs()),
          va.labels(),
          stack(testExits, te.backboneProbs()),
          te.labels(),
          Cpm.backbonePrecision(va.backboneProbs(), va.labels(), classes),
          macsThrough,
          backboneMacs,
          classes);
    }

    ThresholdTable table(double margin, GridSettings s) {
      return Calibration.calibrate(validExits, validLabels, reference, cal(margin, s));
    }

    ProfileMetrics test(double margin, GridSettings s) {
      return CascadeMetrics.compute(
          "m" + margin,
          margin,
          testStages,
          testLabels,
          table(margin, s),
          macsThrough,
          backboneMacs);
    }

    Map<String, Object> json(
        double margin, GridSettings s, ProfileMetrics t, BranchTraining.Outcome o, double seconds) {
      ProfileMetrics v =
          CascadeMetrics.compute(
              "m" + margin,
              margin,
              validStages,
              validLabels,
              table(margin, s),
              macsThrough,
              backboneMacs);
      double oracle = OracleBound.macsFraction(testStages, macsThrough, backboneMacs);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("accuracy", t.accuracy());
      m.put("accuracy_drop_points", t.accuracyDropPoints());
      m.put("macs_fraction", t.macsFraction());
      m.put("compute_reduction", t.computeReduction());
      m.put("exit_rates", t.exitRates());
      m.put("oracle_macs_fraction", oracle);
      double share = OracleBound.shareOfOracle(t.macsFraction(), oracle);
      m.put("share_of_oracle_reduction", Double.isNaN(share) ? null : share);
      m.put("calibration_accuracy", v.accuracy());
      m.put("calibration_macs_fraction", v.macsFraction());
      m.put(
          "branch_train_samples",
          o.branches().stream().map(BranchTraining.Branch::trainSamples).toList());
      m.put("train_seconds", seconds);
      return m;
    }
  }

  static float[][][] stack(List<float[][]> exits, float[][] backbone) {
    int n = backbone.length;
    float[][][] out = new float[n][exits.size() + 1][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < exits.size(); k++) {
        out[i][k] = exits.get(k)[i];
      }
      out[i][exits.size()] = backbone[i];
    }
    return out;
  }

  /** MACs of running the first s stages (backbone up to cut s−1 plus heads 0..s−1). */
  static long[] macsThrough(BackboneAnalysis a, List<String> cuts, List<HeadShape> heads) {
    long[] out = new long[cuts.size() + 2];
    long headSum = 0;
    for (int k = 0; k < cuts.size(); k++) {
      headSum += heads.get(k).macs();
      out[k + 1] = a.cumulativeMacs(cuts.get(k)) + headSum;
    }
    out[cuts.size() + 1] = a.totalMacs() + headSum;
    return out;
  }

  private static Calibration.Settings cal(double margin, GridSettings s) {
    return new Calibration.Settings(margin, MarginMode.ADDITIVE, s.minSupport(), true);
  }

  private static ImageSet limit(ImageSet set, int classes, int limit, long seed) {
    return limit > 0 ? HoldOut.limit(set, classes, limit, seed) : set;
  }

  private static GridSpec.Placement placement(GridSpec spec, String name) {
    return spec.placements().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static GridSpec.Head head(GridSpec spec, String name) {
    return spec.heads().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }
}
