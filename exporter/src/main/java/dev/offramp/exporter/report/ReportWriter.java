package dev.offramp.exporter.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.exporter.bundle.BuildOptions;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.data.CalibrationSource;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.HoldOut;
import dev.offramp.exporter.data.SplitDigest;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.split.ToolVersion;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.HeadShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json and the SVG plots of a build, and formats summary tables. Stateless. */
public final class ReportWriter {
  /** The report file in a bundle. */
  public static final String REPORT = "report.json";

  private ReportWriter() {}

  /** JSON-friendly number: NaN becomes null. */
  static Object num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  static List<Object> nums(double[] a) {
    List<Object> out = new ArrayList<>();
    for (double v : a) {
      out.add(num(v));
    }
    return out;
  }

  /** One profile's metrics as a snake_case map (also the {@code evaluate --json} shape). */
  public static Map<String, Object> metrics(ProfileMetrics p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("margin", p.margin());
    m.put("samples", p.samples());
    m.put("accuracy", p.accuracy());
    m.put("backbone_accuracy", p.backboneAccuracy());
    m.put("accuracy_drop_points", p.accuracyDropPoints());
    m.put("accuracy_drop_se_points", p.dropStandardErrorPoints());
    m.put("mean_macs", p.meanMacs());
    m.put("backbone_macs", p.backboneMacs());
    m.put("macs_fraction", p.macsFraction());
    m.put("compute_reduction", p.computeReduction());
    m.put("exit_rates", nums(p.exitRates()));
    m.put("class_precision", nums(p.classPrecision()));
    m.put("backbone_class_precision", nums(p.backboneClassPrecision()));
    return m;
  }

  /** Writes report.json and plots into the bundle directory. */
  public static void write(
      Bundle bundle,
      BuildOptions o,
      Dataset data,
      CalibrationSource calibrationSource,
      TargetSearch.Choice target,
      int trainImages,
      double trainMargin,
      List<HeadShape> shapes,
      Map<String, List<BranchTraining.Branch>> branches,
      Map<String, List<ProfileMetrics>> valid,
      Map<String, List<ProfileMetrics>> test,
      double[] referencePrecision,
      Map<String, Double> timing) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tool", "offramp");
    r.put("tool_version", ToolVersion.get());
    r.put("bundle", bundle.manifest().name());
    r.put(
        "backbone",
        Map.of(
            "file",
            o.backbone().toString(),
            "sha256",
            bundle.manifest().backbone().sha256(),
            "macs",
            bundle.manifest().backbone().macs()));
    Map<String, Object> ds = new LinkedHashMap<>();
    ds.put("spec", data.spec());
    ds.put("classes", data.classes());
    ds.put(
        "splits",
        Map.of(
            "train", trainImages,
            "train_available", data.train().size(),
            "valid", data.valid().size(),
            "test", data.test().size()));
    List<Object> hos = new ArrayList<>();
    for (HoldOut h : data.holdOuts()) {
      hos.add(
          Map.of(
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
    digests.put("train", SplitDigest.sha256(data.train()));
    digests.put("valid", SplitDigest.sha256(data.valid()));
    digests.put("test", SplitDigest.sha256(data.test()));
    ds.put("digests", digests);
    ds.put("train_limit", o.trainLimit());
    r.put("dataset", ds);
    Map<String, Object> tr = new LinkedHashMap<>();
    tr.put("scheme", o.scheme().key());
    tr.put("compare_baseline", o.compareBaseline());
    tr.put("weighting", o.softWeighting() ? "soft" : "hard");
    tr.put("targets", o.labelTargets() ? "labels" : "backbone");
    tr.put("distill_temperature", o.temperature());
    tr.put("epochs", o.epochs());
    tr.put("batch_size", o.batchSize());
    tr.put("lr", o.lr());
    tr.put("optimizer", "adam");
    tr.put("seed", o.seed());
    tr.put("train_margin", trainMargin);
    tr.put("engine", "DJL PyTorch (CPU, 1 thread)");
    r.put("training", tr);
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
    r.put("heads", heads);
    Map<String, Object> br = new LinkedHashMap<>();
    for (Map.Entry<String, List<BranchTraining.Branch>> e : branches.entrySet()) {
      List<Object> list = new ArrayList<>();
      for (BranchTraining.Branch b : e.getValue()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exit", b.index());
        m.put("train_samples", b.trainSamples());
        m.put("train_weight", b.trainWeight());
        m.put("valid_reaching", b.validReaching());
        m.put("epoch_loss", nums(b.result().epochLoss()));
        m.put("final_loss", b.result().epochLoss()[b.result().epochLoss().length - 1]);
        m.put("train_accuracy", b.result().accuracy());
        m.put("train_seconds", b.result().seconds());
        list.add(m);
      }
      br.put(e.getKey(), list);
    }
    r.put("branches", br);
    Map<String, Object> cal = new LinkedHashMap<>();
    cal.put("split", "valid");
    cal.put("source", calibrationSource.kind().key());
    cal.put("source_spec", calibrationSource.spec());
    cal.put("may_overlap_backbone_training", calibrationSource.mayOverlapBackboneTraining());
    cal.put("images_shared_with_train", calibrationSource.sharedWithTrain());
    cal.put("source_note", calibrationSource.summary());
    cal.put("method", "cpm");
    cal.put("margin_mode", o.marginMode().key());
    cal.put("min_support", o.minSupport());
    cal.put("calibrate_on", o.calibrateOnSurvivors() ? "survivors" : "all");
    cal.put("reference_precision", "backbone precision per class on the whole valid split");
    cal.put("backbone_class_precision", nums(referencePrecision));
    cal.put("default_profile", bundle.manifest().defaultProfile());
    cal.put(
        "default_profile_rule",
        o.defaultProfile().isPresent()
            ? "--default-profile"
            : "the target profile (--max-drop, --min-saving)");
    Map<String, Object> tg = new LinkedHashMap<>();
    tg.put("profile", TargetSearch.profileName(o.target()));
    tg.put("max_drop_points", o.target().maxDropPoints());
    tg.put("min_saving", o.target().minSaving().orElse(null));
    tg.put(
        "rule",
        o.target().minSaving().isPresent()
            ? "most accurate margin whose MAC saving reaches min_saving, drop within max_drop"
            : "margin with the largest MAC saving whose drop is within max_drop");
    tg.put(
        "grid",
        Map.of(
            "from",
            TargetSearch.GRID_FROM,
            "to",
            TargetSearch.GRID_TO,
            "step",
            TargetSearch.GRID_STEP));
    tg.put("margin", target.margin());
    tg.put("met_on_calibration", target.metOnCalibration());
    for (ProfileMetrics p : test.getOrDefault(o.scheme().key(), List.of())) {
      if (p.name().equals(TargetSearch.profileName(o.target()))) {
        tg.put("test_drop_points", p.accuracyDropPoints());
        tg.put("test_drop_se_points", p.dropStandardErrorPoints());
        tg.put("test_saving", p.computeReduction());
        tg.put("met_on_test", TargetSearch.meets(p, o.target()));
      }
    }
    cal.put("target", tg);
    cal.put("profiles", byScheme(valid));
    r.put("calibration", cal);
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("split", "test");
    ev.put(
        "method",
        "boosted via CascadeExecutor + ExitRule; compared scheme via its DJL heads on cached features");
    ev.put("profiles", byScheme(test));
    r.put("evaluation", ev);
    Map<String, Object> tm = new LinkedHashMap<>();
    timing.forEach((k, v) -> tm.put(k + "_seconds", v));
    r.put("timing", tm);
    Path dir = bundle.dir();
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(dir.resolve(REPORT), json.writeValueAsString(r) + "\n");
      Map<String, List<ProfileMetrics>> chart = test.isEmpty() ? valid : test;
      double bb = chart.values().iterator().next().get(0).backboneAccuracy();
      Files.writeString(
          dir.resolve("accuracy-vs-macs.svg"),
          SvgPlots.accuracyVsMacs(
              "Accuracy vs MAC fraction (" + (test.isEmpty() ? "valid" : "test") + " split)",
              chart,
              bb));
      String def = bundle.manifest().defaultProfile();
      for (ProfileMetrics p : chart.get(o.scheme().key())) {
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

  private static Map<String, Object> byScheme(Map<String, List<ProfileMetrics>> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().map(ReportWriter::metrics).toList()));
    return out;
  }

  /** A plain-text table of profiles. */
  public static String table(String title, List<ProfileMetrics> profiles, String defaultProfile) {
    StringBuilder sb = new StringBuilder(title).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "  %-10s %9s %9s %8s %10s %10s  %s%n",
            "profile",
            "accuracy",
            "backbone",
            "drop pt",
            "MAC frac",
            "reduction",
            "exit rates"));
    for (ProfileMetrics p : profiles) {
      StringBuilder rates = new StringBuilder();
      for (double e : p.exitRates()) {
        rates.append(String.format(Locale.ROOT, "%.3f ", e));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%s %-10s %9.4f %9.4f %8.2f %10.3f %9.1f%%  %s%n",
              p.name().equals(defaultProfile) ? "*" : " ",
              p.name(),
              p.accuracy(),
              p.backboneAccuracy(),
              p.accuracyDropPoints(),
              p.macsFraction(),
              100 * p.computeReduction(),
              rates.toString().trim()));
    }
    return sb.toString();
  }
}
