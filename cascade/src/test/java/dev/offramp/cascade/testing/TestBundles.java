package dev.offramp.cascade.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.offramp.cascade.bundle.BackboneInfo;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.Expected;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.ManifestJson;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.bundle.Sha256;
import dev.offramp.cascade.bundle.StageSpec;
import dev.offramp.cascade.bundle.TrainingInfo;
import dev.offramp.cascade.exit.ThresholdTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a valid bundle directory for {@link TestNets} — stage graphs, manifest with real SHA-256
 * and MAC counts — for tests in every module. Profiles: {@code eager} (everything exits at stage
 * 0), {@code never} (no early exit), {@code exit1} (everything exits at stage 1) and {@code m0.05}
 * (a middle threshold of 0.15, the default).
 */
public final class TestBundles {
  public static final List<String> CLASSES =
      List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

  private TestBundles() {}

  /** Writes the small test bundle into {@code dir} (which must exist) and returns {@code dir}. */
  public static Path write(Path dir) {
    return write(dir, TestNets.small(7));
  }

  public static Path write(Path dir, TestNets net) {
    return write(dir, net, net.stages());
  }

  /** Writes a bundle of {@code net} with these stage graphs (e.g. {@code net.stages(broken)}). */
  public static Path write(Path dir, TestNets net, List<ModelProto> graphs) {
    List<StageSpec> stages = new ArrayList<>();
    long backboneMacs = 0;
    for (int k = 0; k < graphs.size(); k++) {
      String file = "stage-" + k + ".onnx";
      Path path = OnnxBuilder.write(graphs.get(k), dir.resolve(file));
      boolean last = k == graphs.size() - 1;
      stages.add(
          new StageSpec(
              file,
              Sha256.hex(path),
              k == 0 ? TestNets.INPUT : "block" + (k - 1),
              last ? Optional.empty() : Optional.of("block" + k),
              TestNets.probsName(k),
              net.stageMacs(k),
              net.headMacs(k)));
      backboneMacs += net.stageMacs(k);
    }
    Path mono = OnnxBuilder.write(net.monolithic(), dir.resolve("backbone.onnx.reference"));
    int exits = graphs.size() - 1;
    Map<String, Profile> profiles = new LinkedHashMap<>();
    profiles.put("m0.05", profile("m0.05", 0.05, fill(exits, net.classes(), 0.15, 0.15)));
    profiles.put("eager", profile("eager", 0.5, fill(exits, net.classes(), 0.0, Double.NaN)));
    profiles.put("exit1", profile("exit1", 0.4, fill(exits, net.classes(), Double.NaN, 0.0)));
    profiles.put(
        "never", profile("never", 0.0, ThresholdTable.never(exits, net.classes()).toArray()));
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "test-net",
            CLASSES.subList(0, net.classes()),
            new InputSpec(
                TestNets.INPUT,
                new long[] {1, 1, net.size(), net.size()},
                ColorMode.GRAY,
                1.0 / 255,
                new double[] {0.5},
                new double[] {0.25}),
            new BackboneInfo(Sha256.hex(mono), backboneMacs, List.of("logits")),
            stages,
            profiles,
            "m0.05",
            new TrainingInfo("boosted", "backbone", "survivors", 7));
    ManifestJson.write(manifest, dir.resolve("manifest.json"));
    return dir;
  }

  private static double[][] fill(int exits, int classes, double... perExit) {
    double[][] rows = new double[exits][classes];
    for (int k = 0; k < exits; k++) {
      Arrays.fill(rows[k], perExit[k]);
    }
    return rows;
  }

  private static Profile profile(String name, double margin, double[][] thresholds) {
    double[] rates = new double[thresholds.length + 1];
    rates[rates.length - 1] = 1.0;
    return new Profile(name, margin, ThresholdTable.of(thresholds), new Expected(0.5, 1.0, rates));
  }
}
