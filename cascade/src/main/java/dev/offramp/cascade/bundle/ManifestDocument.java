package dev.offramp.cascade.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.offramp.cascade.exit.ThresholdTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code manifest.json} exactly as it is written: one record per JSON object, components in the
 * order the fields appear, names as in the file. Jackson binds these (types, unknown and missing
 * fields); {@link #toManifest()} then builds the validated {@link Manifest}, prefixing every record
 * error with the JSON path of the object it came from. A component marked {@code
 * JsonInclude(NON_NULL)} is optional: left out when absent on writing, allowed to be missing on
 * reading, where an explicit {@code null} reads as absent; every other field is required (see
 * {@link ManifestJson}).
 *
 * <p>Package-private: the manifest's Java face is {@link Manifest}; this is only its JSON shape.
 */
record ManifestDocument(
    String format,
    String name,
    List<String> classes,
    Input input,
    Backbone backbone,
    List<Stage> stages,
    LinkedHashMap<String, ProfileDoc> profiles,
    @JsonProperty("default_profile") String defaultProfile,
    Training training) {

  record Input(
      String tensor,
      List<Long> shape,
      String color,
      double scale,
      List<Double> mean,
      List<Double> std) {}

  record Backbone(String sha256, long macs, List<String> outputs) {}

  record Stage(
      String file,
      String sha256,
      String input,
      String features,
      String probs,
      long macs,
      @JsonProperty("head_macs") long headMacs) {}

  record ProfileDoc(
      double margin,
      List<List<Double>> thresholds,
      ExpectedDoc expected,
      @JsonInclude(JsonInclude.Include.NON_NULL) Target target) {}

  record ExpectedDoc(
      double accuracy,
      @JsonProperty("macs_fraction") double macsFraction,
      @JsonProperty("exit_rates") List<Double> exitRates,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<List<Double>> agreement) {}

  record Target(
      @JsonProperty("max_drop_points") double maxDropPoints,
      @JsonProperty("min_saving") @JsonInclude(JsonInclude.Include.NON_NULL) Double minSaving) {}

  record Training(String scheme, String targets, String calibration, long seed) {}

  /** The JSON shape of a validated manifest. */
  static ManifestDocument of(Manifest m) {
    InputSpec in = m.input();
    List<Stage> stages = new ArrayList<>();
    for (StageSpec s : m.stages()) {
      stages.add(
          new Stage(
              s.file(),
              s.sha256(),
              s.input(),
              s.features().orElse(null),
              s.probs(),
              s.macs(),
              s.headMacs()));
    }
    LinkedHashMap<String, ProfileDoc> profiles = new LinkedHashMap<>();
    for (Profile p : m.profiles().values()) {
      Expected e = p.expected();
      profiles.put(
          p.name(),
          new ProfileDoc(
              p.margin(),
              table(p.thresholds().toArray()),
              new ExpectedDoc(
                  e.accuracy(),
                  e.macsFraction(),
                  doubles(e.exitRates()),
                  e.hasAgreement() ? table(e.agreement()) : null),
              p.target()
                  .map(t -> new Target(t.maxDropPoints(), t.minSaving().orElse(null)))
                  .orElse(null)));
    }
    return new ManifestDocument(
        m.format(),
        m.name(),
        m.classes(),
        new Input(
            in.tensor(),
            java.util.Arrays.stream(in.shape()).boxed().toList(),
            in.color().jsonName(),
            in.scale(),
            doubles(in.mean()),
            doubles(in.std())),
        new Backbone(m.backbone().sha256(), m.backbone().macs(), m.backbone().outputs()),
        stages,
        profiles,
        m.defaultProfile(),
        new Training(
            m.training().scheme(),
            m.training().targets(),
            m.training().calibration(),
            m.training().seed()));
  }

  /** The validated manifest; errors name the field by its JSON path. */
  Manifest toManifest() {
    return new Manifest(
        present(format, "format", "a string"),
        present(name, "name", "a string"),
        strings(classes, "classes"),
        input(present(input, "input", "a JSON object")),
        backbone(present(backbone, "backbone", "a JSON object")),
        stages(present(stages, "stages", "a JSON array")),
        profiles(present(profiles, "profiles", "a JSON object")),
        present(defaultProfile, "default_profile", "a string"),
        training(present(training, "training", "a JSON object")));
  }

  private static InputSpec input(Input in) {
    String at = "input";
    ColorMode color = ColorMode.parse(present(in.color, at + ".color", "a string"), at + ".color");
    return at(
        at,
        () ->
            new InputSpec(
                present(in.tensor, at + ".tensor", "a string"),
                filled(in.shape, at + ".shape", "an integer").stream()
                    .mapToLong(Long::longValue)
                    .toArray(),
                color,
                in.scale,
                unbox(filled(in.mean, at + ".mean", "a number")),
                unbox(filled(in.std, at + ".std", "a number"))));
  }

  private static BackboneInfo backbone(Backbone b) {
    // A null sha256 is refused by the record ("expected 64 lower-case hex digits").
    return at("backbone", () -> new BackboneInfo(b.sha256, b.macs, strings(b.outputs, "outputs")));
  }

  private static List<StageSpec> stages(List<Stage> stages) {
    List<StageSpec> out = new ArrayList<>();
    for (int k = 0; k < stages.size(); k++) {
      String at = "stages[" + k + "]";
      Stage s = present(stages.get(k), at, "a JSON object");
      out.add(
          at(
              at,
              () ->
                  new StageSpec(
                      present(s.file, at + ".file", "a string"),
                      present(s.sha256, at + ".sha256", "a string"),
                      present(s.input, at + ".input", "a string"),
                      Optional.ofNullable(s.features),
                      present(s.probs, at + ".probs", "a string"),
                      s.macs,
                      s.headMacs)));
    }
    return out;
  }

  private static Map<String, Profile> profiles(Map<String, ProfileDoc> docs) {
    Map<String, Profile> out = new LinkedHashMap<>();
    for (Map.Entry<String, ProfileDoc> entry : docs.entrySet()) {
      String name = entry.getKey();
      String at = "profiles." + name;
      ProfileDoc p = present(entry.getValue(), at, "a JSON object");
      ExpectedDoc e = present(p.expected, at + ".expected", "a JSON object");
      double[][] agreement =
          e.agreement == null
              ? new double[0][]
              : nullable(e.agreement, at + ".expected.agreement", "fraction");
      Expected expected =
          at(
              at + ".expected",
              () ->
                  new Expected(
                      e.accuracy,
                      e.macsFraction,
                      unbox(filled(e.exitRates, at + ".expected.exit_rates", "a number")),
                      agreement));
      ThresholdTable thresholds;
      double[][] rows = nullable(p.thresholds, at + ".thresholds", "threshold");
      try {
        thresholds = ThresholdTable.of(rows);
      } catch (IllegalArgumentException ex) {
        throw new BundleException(at + ".thresholds: " + ex.getMessage(), ex);
      }
      Optional<ProfileTarget> target =
          p.target == null
              ? Optional.empty()
              : Optional.of(
                  at(
                      at + ".target",
                      () ->
                          new ProfileTarget(
                              p.target.maxDropPoints, Optional.ofNullable(p.target.minSaving))));
      out.put(name, at(at, () -> new Profile(name, p.margin, thresholds, expected, target)));
    }
    return out;
  }

  private static TrainingInfo training(Training t) {
    // A null name is refused by the record ("expected one of …, found 'null'").
    return at("training", () -> new TrainingInfo(t.scheme, t.targets, t.calibration, t.seed));
  }

  /** Runs a record constructor, prefixing its error (which names a field of it) with its path. */
  private static <T> T at(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (BundleException e) {
      if (e.getMessage().startsWith(path)) {
        throw e; // already a full path
      }
      throw new BundleException(path + "." + e.getMessage(), e);
    }
  }

  /** A value the JSON held as {@code null} where {@code what} was expected is refused. */
  private static <T> T present(T value, String path, String what) {
    if (value == null) {
      throw new BundleException(path + ": expected " + what + ", found null");
    }
    return value;
  }

  private static List<String> strings(List<String> values, String path) {
    return filled(values, path, "a string");
  }

  /** The list with no null element (nor null itself). */
  private static <T> List<T> filled(List<T> values, String path, String what) {
    present(values, path, "a JSON array");
    for (int i = 0; i < values.size(); i++) {
      present(values.get(i), path + "[" + i + "]", what);
    }
    return values;
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Rows of numbers or nulls (read as NaN). */
  private static double[][] nullable(List<List<Double>> rows, String path, String what) {
    present(rows, path, "a JSON array");
    double[][] table = new double[rows.size()][];
    for (int k = 0; k < rows.size(); k++) {
      List<Double> row = present(rows.get(k), path + "[" + k + "]", "a JSON array");
      table[k] = row.stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
    }
    return table;
  }

  private static List<Double> doubles(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  /** NaN written as {@code null}. */
  private static List<List<Double>> table(double[][] rows) {
    List<List<Double>> out = new ArrayList<>();
    for (double[] row : rows) {
      List<Double> cells = new ArrayList<>();
      for (double v : row) {
        cells.add(Double.isNaN(v) ? null : v);
      }
      out.add(cells);
    }
    return out;
  }
}
