package dev.offramp.benchmarks.grid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offramp.benchmarks.report.Json;
import dev.offramp.exporter.build.BackbonePlan;
import dev.offramp.exporter.build.TrainedScheme;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.MarginMode;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.InputSettings;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.FeatureCache;
import dev.offramp.exporter.features.FeatureExtractor;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.InputShapes;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.BackboneAnalysis;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadSettings;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainSettings;
import dev.offramp.exporter.train.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the boosted-vs-baseline grid end to end and resumably: one JSON file per finished
 * configuration under {@code out/configs/}; a configuration whose file is present, readable and
 * recorded with the same settings is skipped. Work is shared where the method allows: the backbone
 * runs once per split for all placements and head grids (the exporter's {@code FeatureCache}), the
 * baseline's branches are trained once per (placement, head) and calibrated at every margin (its
 * training does not depend on the margin), and the boosted branches are trained once per
 * configuration (its survivors depend on the margin). The exporter's build steps ({@link
 * BackbonePlan}, {@link TrainedScheme}) are called directly; no bundle is written. Stateless.
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
  public record Outcome(List<String> computed, List<String> skipped, GridDocument summary) {
    public Outcome {
      computed = List.copyOf(computed);
      skipped = List.copyOf(skipped);
    }
  }

  /** Runs (or resumes) the grid and writes the aggregate. */
  public static Outcome run(GridSettings s, GridSpec spec, PrintWriter progress) {
    long start = System.nanoTime();
    OnnxGraph graph = OnnxGraph.load(s.backbone());
    BackbonePlan plan =
        BackbonePlan.of(
            graph,
            InputSettings.fromBackbone(InputOptions.DEFAULT_SCALE, s.mean(), s.std()),
            InputShapes.ShapeFlag.NONE);
    BackboneAnalysis analysis = plan.analysis();
    Map<String, List<String>> cutsOf = new LinkedHashMap<>();
    for (GridSpec.Placement p : spec.placements()) {
      cutsOf.put(p.name(), p.resolve(analysis));
    }
    Path configs = s.out().resolve("configs");
    JsonNode fingerprint = Json.tree(s.fingerprint());
    List<String> computed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<Cell, List<Double>> todo = new LinkedHashMap<>();
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
          todo.put(new Cell(p, h), missing);
        }
      }
    }
    progress.printf(
        "grid: %d configurations, %d finished, %d to compute%n",
        spec.size(), skipped.size(), spec.size() - skipped.size());
    if (!todo.isEmpty()) {
      computed.addAll(compute(s, spec, plan, cutsOf, todo, configs, progress));
    }
    GridDocument summary =
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

  /** One (placement, head) cell of the grid: its margins share the baseline's training. */
  private record Cell(GridSpec.Placement placement, GridSpec.Head head) {}

  private static List<String> compute(
      GridSettings s,
      GridSpec spec,
      BackbonePlan plan,
      Map<String, List<String>> cutsOf,
      Map<Cell, List<Double>> todo,
      Path configs,
      PrintWriter progress) {
    DataSettings ds =
        new DataSettings(s.data(), Optional.empty(), s.validFraction(), s.trainLimit(), s.seed());
    Dataset data = ds.load(plan.input());
    int classes = data.classes().size();
    ImageSet train = ds.limitTrain(data.train(), classes);
    ImageSet valid = limit(data.valid(), classes, s.validLimit(), s.seed());
    ImageSet test = limit(data.test(), classes, s.testLimit(), s.seed());
    progress.printf(
        "grid: %d train, %d calibration, %d test images%n",
        train.size(), valid.size(), test.size());
    Map<Cell, List<CutSpec>> cutSpecs = new LinkedHashMap<>();
    for (Cell c : todo.keySet()) {
      List<CutSpec> specs = new ArrayList<>();
      for (String cut : cutsOf.get(c.placement().name())) {
        specs.add(plan.cutSpec(cut, c.head().grid()));
      }
      cutSpecs.put(c, List.copyOf(specs));
    }
    Set<CutSpec> pooling = new LinkedHashSet<>();
    cutSpecs.values().forEach(pooling::addAll);
    FeatureCache fTrain;
    FeatureCache fValid;
    FeatureCache fTest;
    try (FeatureExtractor fx = plan.extractor(pooling, classes)) {
      fTrain = fx.extract(train, "train");
      fValid = fx.extract(valid, "valid");
      fTest = fx.extract(test, "test");
    }

    TrainSettings ts = new TrainSettings(s.epochs(), s.batchSize(), s.lr(), s.seed(), 0);
    List<String> done = new ArrayList<>();
    for (Map.Entry<Cell, List<Double>> e : todo.entrySet()) {
      GridSpec.Placement p = e.getKey().placement();
      GridSpec.Head h = e.getKey().head();
      List<String> cuts = cutsOf.get(p.name());
      List<CutSpec> specs = cutSpecs.get(e.getKey());
      TrainingOptions training =
          new TrainingOptions(
              Scheme.BOOSTED,
              true,
              false,
              false,
              ts,
              new HeadSettings(new int[] {h.grid()}, h.width(), h.layers()));
      List<HeadShape> shapes = BackbonePlan.heads(specs, training.heads(), classes);
      long[] macsThrough = plan.macsThrough(specs, shapes);
      SplitFeatures tr = fTrain.features(specs);
      SplitFeatures va = fValid.features(specs);
      Optional<SplitFeatures> te = Optional.of(fTest.features(specs));
      try (TrainedScheme baseline =
          TrainedScheme.train(
              shapes,
              tr,
              va,
              te,
              training.settings(Scheme.BASELINE, cal(e.getValue().get(0), s)),
              macsThrough,
              plan.macs())) {
        for (double m : e.getValue()) {
          String id = GridSpec.id(p, h, m);
          progress.printf("grid: %s (%d of %d)%n", id, done.size() + 1, spec.size());
          try (TrainedScheme boosted =
              TrainedScheme.train(
                  shapes,
                  tr,
                  va,
                  te,
                  training.settings(Scheme.BOOSTED, cal(m, s)),
                  macsThrough,
                  plan.macs())) {
            long headMacs = shapes.stream().mapToLong(HeadShape::macs).sum();
            ProfileMetrics bt = test(boosted, m, s);
            ProfileMetrics at = test(baseline, m, s);
            ConfigDocument doc =
                new ConfigDocument(
                    id,
                    p.name(),
                    cuts,
                    cuts.stream()
                        .map(c -> (double) plan.analysis().cumulativeMacs(c) / plan.macs())
                        .toList(),
                    new ConfigDocument.Head(
                        h.name(),
                        h.grid(),
                        h.width(),
                        h.layers(),
                        headMacs,
                        (double) headMacs / plan.macs()),
                    m,
                    s.fingerprint(),
                    plan.graph().sha256(),
                    plan.macs(),
                    fTest.size(),
                    va.size(),
                    tr.size(),
                    bt.backboneAccuracy(),
                    json(boosted, m, s, bt, macsThrough, plan.macs()),
                    json(baseline, m, s, at, macsThrough, plan.macs()),
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
                doc.winner());
            progress.flush();
          }
        }
      }
    }
    return done;
  }

  private static ProfileMetrics test(TrainedScheme t, double margin, GridSettings s) {
    return t.testMetrics("m" + margin, margin, t.calibrate(cal(margin, s))).orElseThrow();
  }

  private static ConfigDocument.Scheme json(
      TrainedScheme t,
      double margin,
      GridSettings s,
      ProfileMetrics test,
      long[] macsThrough,
      long backboneMacs) {
    ProfileMetrics v = t.validMetrics("m" + margin, margin, t.calibrate(cal(margin, s)));
    double oracle =
        OracleBound.macsFraction(t.testStages().orElseThrow(), macsThrough, backboneMacs);
    double share = OracleBound.shareOfOracle(test.macsFraction(), oracle);
    return new ConfigDocument.Scheme(
        test.accuracy(),
        test.accuracyDropPoints(),
        test.macsFraction(),
        test.computeReduction(),
        Arrays.stream(test.exitRates()).boxed().toList(),
        oracle,
        Double.isNaN(share) ? null : share,
        v.accuracy(),
        v.macsFraction(),
        t.outcome().branches().stream().map(BranchTraining.Branch::trainSamples).toList(),
        t.seconds());
  }

  private static Calibration.Settings cal(double margin, GridSettings s) {
    return new Calibration.Settings(margin, MarginMode.ADDITIVE, s.minSupport(), true);
  }

  private static ImageSet limit(ImageSet set, int classes, int limit, long seed) {
    return limit > 0 ? HoldOut.limit(set, classes, limit, seed) : set;
  }
}
