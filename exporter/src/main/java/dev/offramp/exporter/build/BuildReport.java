package dev.offramp.exporter.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.calibrate.CalibrationOptions;
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
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tool", "offramp");
    r.put("tool_version", ToolVersion.get());
    r.put("bundle", bundle.manifest().name());
    r.put(
        "backbone",
        ordered(
            "file",
            o.backbone().toString(),
            "sha256",
            bundle.manifest().backbone().sha256(),
            "macs",
            bundle.manifest().backbone().macs()));
    r.put("dataset", dataset());
    r.put("training", training());
    r.put("heads", heads(bundle));
    r.put("branches", branches());
    r.put("calibration", calibration(bundle));
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("split", "test");
    ev.put(
        "method",
        "boosted via CascadeExecutor + ExitRule; compared scheme via its DJL heads on cached features");
    ev.put("profiles", ReportWriter.byScheme(test));
    r.put("evaluation", ev);
    Map<String, Object> tm = new LinkedHashMap<>();
    timing.seconds().forEach((k, v) -> tm.put(k + "_seconds", v));
    r.put("timing", tm);
    Path dir = bundle.dir();
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(dir.resolve(ReportWriter.REPORT), json.writeValueAsString(r) + "\n");
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

  private Map<String, Object> dataset() {
    Map<String, Object> ds = new LinkedHashMap<>();
    ds.put("spec", data.dataset().spec());
    ds.put("classes", data.dataset().classes());
    ds.put(
        "splits",
        ordered(
            "train", data.train().size(),
            "train_available", data.dataset().train().size(),
            "valid", data.dataset().valid().size(),
            "test", data.dataset().test().size()));
    List<Object> hos = new ArrayList<>();
    for (HoldOut h : data.dataset().holdOuts()) {
      hos.add(
          ordered(
              "split", h.split().key(),
              "from", h.from().key(),
              "fraction", h.fraction(),
              "seed", h.seed(),
              "count", h.count(),
              "stratified", true));
    }
    ds.put("hold_outs", hos);
    Map<String, Object> digests = new LinkedHashMap<>();
    digests.put(
        "method", "sha256 over the split's pixels as loaded, then each label as int32 big-endian");
    digests.put("train", SplitDigest.sha256(data.dataset().train()));
    digests.put("valid", SplitDigest.sha256(data.dataset().valid()));
    digests.put("test", SplitDigest.sha256(data.dataset().test()));
    ds.put("digests", digests);
    ds.put("train_limit", o.data().trainLimit());
    return ds;
  }

  private Map<String, Object> training() {
    Map<String, Object> tr = new LinkedHashMap<>();
    tr.put("scheme", t.scheme().key());
    tr.put("compare_baseline", t.compareBaseline());
    tr.put("weighting", t.softWeighting() ? "soft" : "hard");
    tr.put("targets", t.labelTargets() ? "labels" : "backbone");
    tr.put("distill_temperature", t.optimiser().temperature());
    tr.put("epochs", t.optimiser().epochs());
    tr.put("batch_size", t.optimiser().batchSize());
    tr.put("lr", t.optimiser().learningRate());
    tr.put("optimizer", "adam");
    tr.put("seed", t.optimiser().seed());
    tr.put("train_margin", c.effectiveTrainMargin());
    tr.put("engine", "DJL PyTorch (CPU, 1 thread)");
    return tr;
  }

  private List<Object> heads(Bundle bundle) {
    List<Object> heads = new ArrayList<>();
    for (int k = 0; k < shapes.size(); k++) {
      HeadShape s = shapes.get(k);
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("exit", k);
      h.put("cut", bundle.manifest().stages().get(k).features().orElse(""));
      h.put("cut_shape", List.of(s.channels(), s.height(), s.width()));
      h.put("grid", s.grid());
      h.put("width", s.hidden());
      h.put("layers", s.layers());
      h.put("head_macs", s.macs());
      h.put("head_macs_fraction", (double) s.macs() / bundle.manifest().backbone().macs());
      heads.add(h);
    }
    return heads;
  }

  private Map<String, Object> branches() {
    Map<String, Object> br = new LinkedHashMap<>();
    for (Map.Entry<String, List<BranchTraining.Branch>> e : branchesByScheme.entrySet()) {
      List<Object> list = new ArrayList<>();
      for (BranchTraining.Branch b : e.getValue()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exit", b.index());
        m.put("train_samples", b.trainSamples());
        m.put("train_weight", b.trainWeight());
        m.put("valid_reaching", b.validReaching());
        m.put("epoch_loss", ReportWriter.nums(b.result().epochLoss()));
        m.put("final_loss", b.result().epochLoss()[b.result().epochLoss().length - 1]);
        m.put("train_accuracy", b.result().accuracy());
        m.put("train_seconds", b.result().seconds());
        list.add(m);
      }
      br.put(e.getKey(), list);
    }
    return br;
  }

  private Map<String, Object> calibration(Bundle bundle) {
    Map<String, Object> cal = new LinkedHashMap<>();
    cal.put("split", "valid");
    cal.put("source", data.calibrationSource().kind().key());
    cal.put("source_spec", data.calibrationSource().spec());
    cal.put("may_overlap_backbone_training", data.calibrationSource().mayOverlapBackboneTraining());
    cal.put("images_shared_with_train", data.calibrationSource().sharedWithTrain());
    cal.put("source_note", data.calibrationSource().summary());
    cal.put("method", "cpm");
    cal.put("margin_mode", c.mode().key());
    cal.put("min_support", c.minSupport());
    cal.put("calibrate_on", c.onSurvivors() ? "survivors" : "all");
    cal.put("reference_precision", "backbone precision per class on the whole valid split");
    cal.put("backbone_class_precision", ReportWriter.nums(reference));
    cal.put("default_profile", bundle.manifest().defaultProfile());
    cal.put(
        "default_profile_rule",
        c.defaultProfile().isPresent()
            ? "--default-profile"
            : "the target profile (--max-drop, --min-saving)");
    Map<String, Object> tg = new LinkedHashMap<>();
    tg.put("profile", TargetSearch.profileName(c.target()));
    tg.put("max_drop_points", c.target().maxDropPoints());
    tg.put("min_saving", c.target().minSaving().orElse(null));
    tg.put(
        "rule",
        c.target().minSaving().isPresent()
            ? "most accurate margin whose MAC saving reaches min_saving, drop within max_drop"
            : "margin with the largest MAC saving whose drop is within max_drop");
    tg.put(
        "grid",
        ordered(
            "from",
            TargetSearch.GRID_FROM,
            "to",
            TargetSearch.GRID_TO,
            "step",
            TargetSearch.GRID_STEP));
    tg.put("margin", mainTarget().margin());
    tg.put("met_on_calibration", mainTarget().metOnCalibration());
    for (ProfileMetrics p : test.getOrDefault(t.scheme().key(), List.of())) {
      if (p.name().equals(TargetSearch.profileName(c.target()))) {
        tg.put("test_drop_points", p.accuracyDropPoints());
        tg.put("test_drop_se_points", p.dropStandardErrorPoints());
        tg.put("test_saving", p.computeReduction());
        tg.put("met_on_test", TargetSearch.meets(p, c.target()));
      }
    }
    cal.put("target", tg);
    cal.put("profiles", ReportWriter.byScheme(valid));
    return cal;
  }

  /**
   * A JSON object with its keys in the order given (keys and values alternate). {@code Map.of}'s
   * iteration order changes from run to run, which made report.json differ between identical
   * builds.
   */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
