package dev.offramp.exporter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.BundleException;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.Split;
import dev.offramp.exporter.evaluate.BundleEvaluator;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code offramp evaluate}: a bundle on a dataset split, through the runtime's executor. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Accuracy, MACs and exit rates of every profile of a bundle on a dataset split.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUNDLE")
  Path bundleDir;

  @Option(names = "--data", required = true, paramLabel = "SPEC")
  String data;

  @Option(names = "--split", defaultValue = "test", description = "train|valid|test")
  String split;

  @Option(names = "--profile", description = "Only this profile (default: all).")
  String profile;

  @Option(names = "--valid-fraction", defaultValue = "0.1")
  double validFraction;

  @Option(names = "--seed", defaultValue = "1", description = "Hold-out seed (as at build).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    Bundle bundle;
    try {
      bundle = Bundle.open(bundleDir);
    } catch (BundleException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    InputSpec in = bundle.manifest().input();
    InputOptions io =
        new InputOptions(in.width(), in.height(), in.color(), in.scale(), in.mean(), in.std());
    Dataset ds = DatasetLoader.load(data, io, validFraction, seed);
    if (ds.classes().size() != bundle.manifest().classes().size()) {
      throw new IllegalArgumentException(
          "dataset "
              + data
              + " has "
              + ds.classes().size()
              + " classes, the bundle "
              + bundle.manifest().classes().size()
              + "; expected the dataset the bundle was built for");
    }
    ImageSet images = ds.split(Split.parse(split));
    float[][][] probs = BundleEvaluator.stageProbabilities(bundle, images);
    List<ProfileMetrics> ms =
        BundleEvaluator.metrics(
            bundle.manifest(), probs, images.labels(), Optional.ofNullable(profile));
    PrintWriter w = spec.commandLine().getOut();
    String def = bundle.manifest().defaultProfile();
    if (json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("bundle", bundle.manifest().name());
      r.put("data", data);
      r.put("split", split);
      r.put("samples", images.size());
      r.put("default_profile", def);
      r.put("classes", bundle.manifest().classes());
      r.put("profiles", ms.stream().map(ReportWriter::metrics).toList());
      w.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
    } else {
      w.print(ReportWriter.table(bundle.manifest().name() + " on " + split, ms, def));
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
}
