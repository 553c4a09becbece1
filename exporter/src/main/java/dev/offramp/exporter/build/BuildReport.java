package dev.offramp.exporter.build;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.calibrate.CalibrationOptions;
import dev.offramp.exporter.calibrate.OutOfFold;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.SplitDigest;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ReportWriter;
import dev.offramp.exporter.report.SvgPlots;
import dev.offramp.exporter.split.ToolVersion;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one build, filled step by step, and its report.json (snake_case) and plots: the
 * inputs, each scheme's branches and profiles on the calibration and test splits, the target, the
 * timings. Not thread-safe; one per build.
 */
final class BuildReport {
  private final BuildOptions o;
  private final TrainingOptions t;
  private final CalibrationOptions c;
  private final BuildData data;
  private final List<HeadShape> shapes;
  private final Map<String, CalibratedScheme> schemes = new LinkedHashMap<>();
  private final Map<String, List<BranchTraining.Branch>> branchesByScheme = new LinkedHashMap<>();
  private final Map<String, List<ProfileMetrics>> valid = new LinkedHashMap<>();
  private final Map<String, List<ProfileMetrics>> test = new LinkedHashMap<>();
  private double[] reference = new double[0];

  BuildReport(BuildOptions o, BuildData data, List<HeadShape> shapes) {
    this.o = o;
    this.t = o.training();
    this.c = o.calibration();
    this.data = data;
    this.shapes = List.copyOf(shapes);
  }

  /** Wall time per step, in insertion order, plus the total since construction. */
  static final class Timing {
    private final long start = System.nanoTime();
    private long lap = start;
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    /** Records the time since the last mark or lap as {@code step}. */
    void mark(String step) {
      long now = System.nanoTime();
      seconds.put(step, (now - lap) / 1e9);
      lap = now;
    }

    /** Records {@code s} seconds as {@code step} (measured elsewhere) and restarts the lap. */
    void put(String step, double s) {
      seconds.put(step, s);
      lap();
    }

    /** Restarts the lap. */
    void lap() {
      lap = System.nanoTime();
    }

    /** Records and returns the total since construction. */
    double total() {
      double s = (System.nanoTime() - start) / 1e9;
      seconds.put("total", s);
      return s;
    }

    Map<String, Double> seconds() {
      return Collections.unmodifiableMap(seconds);
    }
  }

  /** Adds a calibrated scheme with its branch statistics. */
  void add(String scheme, CalibratedScheme s, List<BranchTraining.Branch> branches) {
    schemes.put(scheme, s);
    branchesByScheme.put(scheme, List.copyOf(branches));
    valid.put(scheme, s.valid());
    if (!s.test().isEmpty()) {
      test.put(scheme, s.test());
    }
  }

  /** Sets the test metrics of {@code scheme} (the bundle's, evaluated through its executor). */
  void putTest(String scheme, List<ProfileMetrics> metrics) {
    test.put(scheme, List.copyOf(metrics));
  }

  /** Sets the backbone's per-class precision on the calibration split (CPM's reference). */
  void setReference(double[] reference) {
    this.reference = reference.clone();
  }

  CalibratedScheme scheme(String key) {
    return schemes.get(key);
  }

  TargetSearch.Choice mainTarget() {
    return schemes.get(t.scheme().key()).target();
  }

  Map<String, List<ProfileMetrics>> valid() {
    return Collections.unmodifiableMap(valid);
  }

  Map<String, List<ProfileMetrics>> test() {
    return Collections.unmodifiableMap(test);
  }

  /**
   * Writes report.json and the plots into the bundle's directory.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  public void write(Bundle bundle, Timing timing) {
    Map<String, Double> tm = new LinkedHashMap<>();
    timing.seconds().forEach((k, v) -> tm.put(k + "_seconds", v));
    ReportDocument r =
        new ReportDocument(
            "offramp",
            ToolVersion.get(),
            bundle.manifest().name(),
            new ReportDocument.Backbone(
                o.backbone().toString(),
                bundle.manifest().backbone().sha256(),
                bundle.manifest().backbone().macs()),
            dataset(),
            training(),
            heads(bundle),
            branches(),
            calibration(bundle),
            new ReportDocument.Evaluation(
                "test",
                "boosted via CascadeExecutor + ExitRule; compared scheme via its DJL heads on cached"
                    + " features",
                ReportWriter.byScheme(test)),
            tm);
    Path dir = bundle.dir();
    try {
      Files.writeString(dir.resolve(ReportWriter.REPORT), ReportWriter.json(r) + "\n");
      Map<String, List<ProfileMetrics>> chart = test.isEmpty() ? valid : test;
      double bb = chart.values().iterator().next().get(0).backboneAccuracy();
      Files.writeString(
          dir.resolve("accuracy-vs-macs.svg"),
          SvgPlots.accuracyVsMacs(
              "Accuracy vs MAC fraction (" + (test.isEmpty() ? "valid" : "test") + " split)",
              chart,
              bb));
      String def = bundle.manifest().defaultProfile();
      for (ProfileMetrics p : chart.get(t.scheme().key())) {
        if (p.name().equals(def)) {
          Files.writeString(
              dir.resolve("exit-histogram.svg"),
              SvgPlots.exitHistogram("Exits per stage, profile " + def, p.exitRates()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + dir + ": " + e, e);
    }
  }

  private ReportDocument.Dataset dataset() {
    List<ReportDocument.HoldOut> hos = new ArrayList<>();
    for (HoldOut h : data.dataset().holdOuts()) {
      hos.add(
          new ReportDocument.HoldOut(
              h.split().key(), h.from().key(), h.fraction(), h.seed(), h.count(), true));
    }
    return new ReportDocument.Dataset(
        data.dataset().spec(),
        data.dataset().classes(),
        new ReportDocument.Splits(
            data.train().size(),
            data.dataset().train().size(),
            data.dataset().valid().size(),
            data.dataset().test().size()),
        hos,
        new ReportDocument.Digests(
            "sha256 over the split's pixels as loaded, then each label as int32 big-endian",
            SplitDigest.sha256(data.dataset().train()),
            SplitDigest.sha256(data.dataset().valid()),
            SplitDigest.sha256(data.dataset().test())),
        o.data().trainLimit());
  }

  private ReportDocument.Training training() {
    return new ReportDocument.Training(
        t.scheme().key(),
        t.compareBaseline(),
        t.softWeighting() ? "soft" : "hard",
        t.labelTargets() ? "labels" : "backbone",
        t.optimiser().temperature(),
        t.optimiser().epochs(),
        t.optimiser().batchSize(),
        t.optimiser().learningRate(),
        "adam",
        t.optimiser().seed(),
        c.effectiveTrainMargin(),
        "DJL PyTorch (CPU, 1 thread)");
  }

  private List<ReportDocument.Head> heads(Bundle bundle) {
    List<ReportDocument.Head> heads = new ArrayList<>();
    for (int k = 0; k < shapes.size(); k++) {
      HeadShape s = shapes.get(k);
      heads.add(
          new ReportDocument.Head(
              k,
              bundle.manifest().stages().get(k).features().orElse(""),
              List.of(s.channels(), s.height(), s.width()),
              s.grid(),
              s.hidden(),
              s.layers(),
              s.macs(),
              (double) s.macs() / bundle.manifest().backbone().macs()));
    }
    return heads;
  }

  private Map<String, List<ReportDocument.Branch>> branches() {
    Map<String, List<ReportDocument.Branch>> br = new LinkedHashMap<>();
    branchesByScheme.forEach(
        (scheme, branches) ->
            br.put(
                scheme,
                branches.stream()
                    .map(
                        b -> {
                          double[] loss = b.result().epochLoss();
                          return new ReportDocument.Branch(
                              b.index(),
                              b.trainSamples(),
                              b.trainWeight(),
                              b.validReaching(),
                              ReportWriter.nums(loss),
                              loss[loss.length - 1],
                              b.result().accuracy(),
                              b.result().seconds());
                        })
                    .toList()));
    return br;
  }

  private ReportDocument.Calibration calibration(Bundle bundle) {
    return new ReportDocument.Calibration(
        "valid",
        data.calibrationSource().kind().key(),
        data.calibrationSource().spec(),
        data.calibrationSource().mayOverlapBackboneTraining(),
        data.calibrationSource().sharedWithTrain(),
        data.calibrationSource().summary(),
        "cpm",
        c.mode().key(),
        c.minSupport(),
        c.onSurvivors() ? "survivors" : "all",
        "backbone precision per class on the whole valid split",
        ReportWriter.nums(reference),
        bundle.manifest().defaultProfile(),
        c.defaultProfile().isPresent()
            ? "--default-profile"
            : "the target profile (--max-drop, --min-saving)",
        target(),
        ReportWriter.byScheme(valid));
  }

  private ReportDocument.Target target() {
    String name = TargetSearch.profileName(c.target());
    ProfileMetrics onTest =
        test.getOrDefault(t.scheme().key(), List.of()).stream()
            .filter(p -> p.name().equals(name))
            .reduce((first, second) -> second)
            .orElse(null);
    return new ReportDocument.Target(
        name,
        c.target().maxDropPoints(),
        c.target().minSaving().orElse(null),
        (c.target().minSaving().isPresent()
                ? "most accurate margin whose MAC saving reaches min_saving, drop within max_drop"
                : "margin with the largest MAC saving whose drop is within max_drop")
            + ", judged out of fold on the calibration split: drop + confidence_z standard"
            + " errors (a one-sided 95% bound) within max_drop",
        new ReportDocument.Grid(
            TargetSearch.GRID_FROM, TargetSearch.GRID_TO, TargetSearch.GRID_STEP),
        mainTarget().margin(),
        estimate(mainTarget().estimate()),
        mainTarget().metOnCalibration(),
        onTest == null ? null : onTest.accuracyDropPoints(),
        onTest == null ? null : onTest.dropStandardErrorPoints(),
        onTest == null ? null : onTest.computeReduction(),
        onTest == null ? null : TargetSearch.meets(onTest, c.target()));
  }

  private static ReportDocument.OutOfFoldEstimate estimate(OutOfFold.Estimate e) {
    return new ReportDocument.OutOfFoldEstimate(
        OutOfFold.FOLDS,
        e.dropPoints(),
        e.standardErrorPoints(),
        TargetSearch.CONFIDENCE_Z,
        e.dropBound(TargetSearch.CONFIDENCE_Z),
        e.saving());
  }
}
