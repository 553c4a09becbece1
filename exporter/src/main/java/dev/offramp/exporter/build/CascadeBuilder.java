package dev.offramp.exporter.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.offramp.cascade.bundle.BackboneInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Expected;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.bundle.TrainingInfo;
import dev.offramp.exporter.bundle.BundleWriter;
import dev.offramp.exporter.bundle.StageMerger;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.evaluate.BundleEvaluator;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.graph.OnnxGraph;
import dev.offramp.exporter.split.GraphSplitter;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.train.BranchTraining.Scheme;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainingOptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole {@code offramp build}, composed of the exporter's steps: plan the backbone ({@link
 * BackbonePlan}), load the data ({@link BuildData}), cache features, train and calibrate each
 * scheme ({@link TrainedScheme}, {@link CalibratedScheme}), merge heads into stages and prove them
 * ({@link StageMerger}), write and reopen the bundle ({@link BundleWriter}), evaluate it on the
 * test split and write report.json and plots ({@link BuildReport}). Stateless; one call builds one
 * bundle.
 */
public final class CascadeBuilder {
  private static final Logger LOG = System.getLogger(CascadeBuilder.class.getName());

  /** Heads together should stay under this share of the backbone's MACs. */
  public static final double HEAD_BUDGET = 0.02;

  private CascadeBuilder() {}

  /** Runs the build. */
  public static BuildResult build(BuildOptions o) {
    BuildReport.Timing timing = new BuildReport.Timing();
    BackbonePlan plan = BackbonePlan.of(OnnxGraph.load(o.backbone()), o.input());
    List<String> cuts = plan.resolveCuts(o.cuts());
    timing.mark("analyse");
    BuildData data = BuildData.load(plan, o.data());
    timing.mark("load_data");
    TrainingOptions tr = o.training();
    List<CutSpec> cutSpecs = plan.cutSpecs(cuts, tr.heads());
    List<HeadShape> shapes = BackbonePlan.heads(cutSpecs, tr.heads(), data.classes());
    warnAboveBudget(shapes, plan.macs());
    BuildData.Features f = data.extract(plan, cutSpecs, o.evaluateTest());
    timing.mark("features");
    long[] macsThrough = plan.macsThrough(cutSpecs, shapes);
    List<StageGraph> stages = GraphSplitter.split(plan.analysis(), cuts);
    CalibrationOptions c = o.calibration();
    Calibration.Settings survivors = c.at(c.effectiveTrainMargin());
    Map<String, TrainedScheme> trained = new LinkedHashMap<>();
    BuildReport report = new BuildReport(o, data, shapes);
    Bundle bundle;
    try {
      for (Scheme scheme : tr.schemes()) {
        Optional<SplitFeatures> test = scheme == tr.scheme() ? Optional.empty() : f.test();
        TrainedScheme t =
            TrainedScheme.train(
                shapes,
                f.train(),
                f.valid(),
                test,
                tr.settings(scheme, survivors),
                macsThrough,
                plan.macs());
        trained.put(scheme.key(), t);
        timing.put("train_" + scheme.key(), t.seconds());
        CalibratedScheme cs = CalibratedScheme.of(t, c, survivors, scheme.key());
        report.add(scheme.key(), cs, t.outcome().branches());
      }
      timing.lap();
      TrainedScheme main = trained.get(tr.scheme().key());
      CalibratedScheme mainCal = report.scheme(tr.scheme().key());
      report.setReference(main.reference());
      String defaultProfile = chooseDefault(c, mainCal.valid());
      List<ModelProto> merged =
          StageMerger.merge(stages, cuts, main.outcome().heads(), plan.logitsName());
      StageMerger.prove(
          merged, cuts, plan.spec(), data.dataset().valid(), f.valid(), main.outcome().heads());
      timing.mark("merge_and_prove");
      bundle =
          BundleWriter.write(
              o.out(),
              merged,
              stages,
              cuts,
              shapes,
              contents(o, plan, data, mainCal, defaultProfile));
    } finally {
      trained.values().forEach(TrainedScheme::close);
    }
    if (f.test().isPresent()) {
      float[][][] probs = BundleEvaluator.stageProbabilities(bundle, data.dataset().test());
      report.putTest(
          tr.scheme().key(),
          BundleEvaluator.metrics(
              bundle.manifest(), probs, data.dataset().test().labels(), Optional.empty()));
      timing.mark("evaluate_test");
    }
    double seconds = timing.total();
    report.write(bundle, timing);
    return new BuildResult(
        bundle,
        report.valid(),
        report.test(),
        seconds,
        data.calibrationSource(),
        "target profile " + TargetSearch.describe(report.mainTarget(), c.target()));
  }

  private static void warnAboveBudget(List<HeadShape> shapes, long backboneMacs) {
    long headMacs = shapes.stream().mapToLong(HeadShape::macs).sum();
    if (headMacs > HEAD_BUDGET * backboneMacs) {
      LOG.log(
          Level.WARNING,
          String.format(
              Locale.ROOT,
              "heads cost %d MACs = %.2f%% of the backbone's %d, above the %.0f%% budget;"
                  + " lower --head-grid or --head-width",
              headMacs,
              100.0 * headMacs / backboneMacs,
              backboneMacs,
              100 * HEAD_BUDGET));
    }
  }

  private static BundleWriter.Contents contents(
      BuildOptions o,
      BackbonePlan plan,
      BuildData data,
      CalibratedScheme main,
      String defaultProfile) {
    CalibrationOptions c = o.calibration();
    Map<String, Profile> profiles = new LinkedHashMap<>();
    for (ProfileMetrics pm : main.valid()) {
      profiles.put(
          pm.name(),
          new Profile(
              pm.name(),
              pm.margin(),
              main.tables().get(pm.name()),
              new Expected(
                  pm.accuracy(),
                  pm.macsFraction(),
                  pm.exitRates(),
                  main.agreement().get(pm.name())),
              pm.name().equals(c.targetName()) ? Optional.of(c.target()) : Optional.empty()));
    }
    TrainingOptions tr = o.training();
    return new BundleWriter.Contents(
        o.name(),
        data.dataset().classes(),
        plan.spec(),
        new BackboneInfo(plan.graph().sha256(), plan.macs(), plan.graph().outputNames()),
        profiles,
        defaultProfile,
        new TrainingInfo(
            tr.scheme().key(),
            tr.labelTargets() ? "labels" : "backbone",
            c.onSurvivors() ? "survivors" : "all",
            tr.optimiser().seed()));
  }

  /**
   * The default profile: {@code --default-profile} if given, else the target profile ({@code
   * --max-drop}, {@code --min-saving}; see {@link TargetSearch}).
   */
  static String chooseDefault(CalibrationOptions c, List<ProfileMetrics> valid) {
    if (c.defaultProfile().isPresent()) {
      String want = c.defaultProfile().get();
      if (valid.stream().noneMatch(p -> p.name().equals(want))) {
        throw new IllegalArgumentException(
            "--default-profile "
                + want
                + ": no such profile; the margins and the target give "
                + valid.stream().map(ProfileMetrics::name).toList());
      }
      return want;
    }
    return c.targetName();
  }
}
