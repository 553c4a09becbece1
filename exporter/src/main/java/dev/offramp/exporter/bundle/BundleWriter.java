package dev.offramp.exporter.bundle;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.offramp.cascade.bundle.BackboneInfo;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.ManifestJson;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.bundle.Sha256;
import dev.offramp.cascade.bundle.StageSpec;
import dev.offramp.cascade.bundle.TrainingInfo;
import dev.offramp.exporter.split.StageGraph;
import dev.offramp.exporter.train.HeadShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes proven stage graphs and their manifest into a bundle directory and reopens it with {@link
 * Bundle#open} (validation and sha256 checks). Stateless.
 */
public final class BundleWriter {
  private BundleWriter() {}

  /**
   * What the manifest says besides the stages.
   *
   * @param name bundle name
   * @param classes class names in output order
   * @param input the input section
   * @param backbone the backbone's digest, MACs and outputs
   * @param profiles profiles by name, in manifest order
   * @param defaultProfile the default profile's name
   * @param training how the exits were trained
   */
  public record Contents(
      String name,
      List<String> classes,
      InputSpec input,
      BackboneInfo backbone,
      Map<String, Profile> profiles,
      String defaultProfile,
      TrainingInfo training) {
    /** Copies the collections (keeping the profiles' order). */
    public Contents {
      classes = List.copyOf(classes);
      profiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profiles));
    }
  }

  /**
   * Writes {@code merged} (stage k from {@code stages.get(k)}, heads on {@code cuts}) and the
   * manifest into {@code out}.
   *
   * @return the reopened bundle
   * @throws UncheckedIOException when a file cannot be written
   */
  public static Bundle write(
      Path out,
      List<ModelProto> merged,
      List<StageGraph> stages,
      List<String> cuts,
      List<HeadShape> heads,
      Contents contents) {
    try {
      Files.createDirectories(out);
      List<StageSpec> specs = new ArrayList<>();
      for (int s = 0; s < merged.size(); s++) {
        boolean last = s == merged.size() - 1;
        String file = stages.get(s).fileName();
        Path p = out.resolve(file);
        Files.write(p, merged.get(s).toByteArray());
        specs.add(
            new StageSpec(
                file,
                Sha256.hex(p),
                s == 0 ? contents.input().tensor() : cuts.get(s - 1),
                last ? Optional.empty() : Optional.of(cuts.get(s)),
                last ? HeadGraph.FINAL_PROBS : HeadGraph.probsName(s),
                stages.get(s).macs(),
                last ? 0 : heads.get(s).macs()));
      }
      Manifest m =
          new Manifest(
              Manifest.FORMAT,
              contents.name(),
              contents.classes(),
              contents.input(),
              contents.backbone(),
              specs,
              contents.profiles(),
              contents.defaultProfile(),
              contents.training());
      ManifestJson.write(m, out.resolve(Bundle.MANIFEST));
      return Bundle.open(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bundle to " + out + ": " + e, e);
    }
  }
}
