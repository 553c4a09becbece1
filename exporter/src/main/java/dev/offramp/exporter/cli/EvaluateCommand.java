package dev.offramp.exporter.cli;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.Split;
import dev.offramp.exporter.data.SplitDigest;
import dev.offramp.exporter.evaluate.BundleEvaluator;
import dev.offramp.exporter.evaluate.ImageOutcomes;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ProfileReport;
import dev.offramp.exporter.report.ReportWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code offramp evaluate}: a bundle on a dataset split, through the runtime's executor. */
@Command(
    name = "evaluate",
    description = "Accuracy, MACs and exit rates of every profile of a bundle on a dataset split.")
final class EvaluateCommand extends ToolCommand {
  @Mixin Flags.Evaluate o;

  @Override
  public Integer call() {
    Bundle bundle;
    try {
      bundle = Bundle.open(o.bundleDir);
    } catch (BundleException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    InputSpec in = bundle.manifest().input();
    InputOptions io = InputOptions.of(in);
    Dataset ds = DatasetLoader.load(o.data, io, o.validFraction, o.seed);
    if (ds.classes().size() != bundle.manifest().classes().size()) {
      throw new IllegalArgumentException(
          "dataset "
              + o.data
              + " has "
              + ds.classes().size()
              + " classes, the bundle "
              + bundle.manifest().classes().size()
              + "; expected the dataset the bundle was built for");
    }
    ImageSet images = ds.split(Split.parse(o.split));
    float[][][] probs = BundleEvaluator.stageProbabilities(bundle, images);
    List<ProfileMetrics> ms =
        BundleEvaluator.metrics(
            bundle.manifest(), probs, images.labels(), Optional.ofNullable(o.profile));
    PrintWriter w = out();
    String def = bundle.manifest().defaultProfile();
    if (o.outcomes != null) {
      Map<String, Object> prov = new LinkedHashMap<>();
      prov.put("data", o.data);
      prov.put("split", o.split);
      prov.put("split_sha256", SplitDigest.sha256(images));
      ImageOutcomes.write(
          o.outcomes, ImageOutcomes.of(bundle.manifest(), probs, images.labels(), prov));
    }
    if (o.json) {
      List<ProfileReport> profiles = new ArrayList<>();
      for (ProfileMetrics p : ms) {
        ProfileReport pr = ProfileReport.of(p);
        Optional<ProfileTarget> t = bundle.manifest().profile(p.name()).target();
        if (t.isPresent()) {
          pr =
              pr.withTarget(
                  new ProfileReport.Target(
                      t.get().maxDropPoints(),
                      t.get().minSaving().orElse(null),
                      TargetSearch.meets(p, t.get()),
                      meetsWithinSe(p, t.get())));
        }
        profiles.add(pr);
      }
      w.println(
          ReportWriter.json(
              new Report(
                  bundle.manifest().name(),
                  o.data,
                  o.split,
                  images.size(),
                  def,
                  bundle.manifest().classes(),
                  profiles)));
    } else {
      w.print(ReportWriter.table(bundle.manifest().name() + " on " + o.split, ms, def));
      for (ProfileMetrics p : ms) {
        bundle.manifest().profile(p.name()).target().ifPresent(t -> w.println(verdict(p, t)));
      }
      for (ProfileMetrics p : ms) {
        w.printf(Locale.ROOT, "%s per-class precision (cascade / backbone):%n", p.name());
        for (int c = 0; c < bundle.manifest().classes().size(); c++) {
          w.printf(
              Locale.ROOT,
              "  %-14s %.4f / %.4f%n",
              bundle.manifest().classes().get(c),
              p.classPrecision()[c],
              p.backboneClassPrecision()[c]);
        }
      }
    }
    return 0;
  }

  /** The {@code --json} document. */
  record Report(
      String bundle,
      String data,
      String split,
      int samples,
      String defaultProfile,
      List<String> classes,
      List<ProfileReport> profiles) {
    Report {
      classes = List.copyOf(classes);
      profiles = List.copyOf(profiles);
    }
  }

  /** True when the drop minus one standard error is within the target (saving floor as is). */
  static boolean meetsWithinSe(ProfileMetrics p, ProfileTarget t) {
    return p.accuracyDropPoints() - p.dropStandardErrorPoints() <= t.maxDropPoints() + 1e-9
        && t.minSaving().map(s -> p.computeReduction() >= s - 1e-12).orElse(true);
  }

  /** One line: does this o.split meet the o.profile's build target? */
  static String verdict(ProfileMetrics p, ProfileTarget t) {
    String v =
        TargetSearch.meets(p, t)
            ? "MET"
            : meetsWithinSe(p, t) ? "NOT MET, but within one standard error" : "NOT MET";
    return String.format(
        Locale.ROOT,
        "%s: drop %.2f ± %.2f pt (standard error over %d images), saving %.1f%%; target drop ≤ %s"
            + " pt%s: %s",
        p.name(),
        p.accuracyDropPoints(),
        p.dropStandardErrorPoints(),
        p.samples(),
        100 * p.computeReduction(),
        t.maxDropPoints(),
        t.minSaving().map(s -> String.format(Locale.ROOT, ", saving ≥ %.1f%%", 100 * s)).orElse(""),
        v);
  }
}
