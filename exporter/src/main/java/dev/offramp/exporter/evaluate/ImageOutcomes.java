package dev.offramp.exporter.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.Profile;
import dev.offramp.cascade.exit.ExitRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-image outcomes of every profile of a bundle on one split ({@code offramp evaluate --outcomes
 * FILE}), the input of the method analysis ({@code offramp bench method}), which needs them to
 * resample test images. Format {@value #FORMAT}: one JSON object with {@code macs_through} (MACs of
 * running the first s stages, s = 0..stages), {@code backbone_correct} (one character per image,
 * {@code 1} = the backbone is right) and, per profile, {@code stage} (the answering stage per
 * image, one digit) and {@code correct}. Stateless.
 */
public final class ImageOutcomes {
  /** The format tag. */
  public static final String FORMAT = "offramp-outcomes/1";

  private ImageOutcomes() {}

  /**
   * The outcomes as a JSON-ready map.
   *
   * @param m the bundle's manifest
   * @param probs [sample][stage][class]
   * @param labels ground truth
   * @param provenance extra top-level fields (data SPEC, split, split digest)
   */
  public static Map<String, Object> of(
      Manifest m, float[][][] probs, int[] labels, Map<String, Object> provenance) {
    int stages = m.stages().size();
    if (stages > 10) {
      throw new IllegalArgumentException(
          "outcomes: one digit per answering stage supports up to 10 stages, the bundle has "
              + stages);
    }
    int n = labels.length;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("format", FORMAT);
    r.put("bundle", m.name());
    r.put("scheme", m.training().scheme());
    r.put("seed", m.training().seed());
    r.putAll(provenance);
    r.put("samples", n);
    r.put("backbone_macs", m.backbone().macs());
    List<Long> through = new ArrayList<>();
    for (long v : BundleEvaluator.macsThrough(m)) {
      through.add(v);
    }
    r.put("macs_through", through);
    StringBuilder bb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      bb.append(ExitRule.argmax(probs[i][stages - 1]) == labels[i] ? '1' : '0');
    }
    r.put("backbone_correct", bb.toString());
    List<Object> profiles = new ArrayList<>();
    for (Profile p : m.profiles().values()) {
      StringBuilder stage = new StringBuilder(n);
      StringBuilder correct = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        int s = ExitRule.decide(probs[i], p.thresholds());
        stage.append((char) ('0' + s));
        correct.append(ExitRule.argmax(probs[i][s]) == labels[i] ? '1' : '0');
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", p.name());
      e.put("margin", p.margin());
      e.put("target", p.target().isPresent());
      e.put("stage", stage.toString());
      e.put("correct", correct.toString());
      profiles.add(e);
    }
    r.put("profiles", profiles);
    return r;
  }

  /** Writes {@link #of} to {@code file}. */
  public static void write(Path file, Map<String, Object> outcomes) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, new ObjectMapper().writeValueAsString(outcomes) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write outcomes to " + file + ": " + e, e);
    }
  }
}
