package dev.offramp.cascade.bundle;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The contents of {@code manifest.json}: what to run and when to stop. Immutable; the compact
 * constructor checks every cross-field rule of the "offramp-bundle/1" format, so a {@code Manifest}
 * that exists is consistent (files on disk are checked by {@link Bundle#open}).
 *
 * @param format always {@link #FORMAT}
 * @param name bundle name
 * @param classes class labels, index = class id
 * @param input how frames become the stage-0 tensor
 * @param backbone the source backbone
 * @param stages stage graphs in execution order (at least two: one exit and the last stage)
 * @param profiles threshold profiles by name, in manifest order
 * @param defaultProfile the profile used when none is asked for
 * @param training how the exits were trained
 */
public record Manifest(
    String format,
    String name,
    List<String> classes,
    InputSpec input,
    BackboneInfo backbone,
    List<StageSpec> stages,
    Map<String, Profile> profiles,
    String defaultProfile,
    TrainingInfo training) {

  /** The one format version this code reads and writes. */
  public static final String FORMAT = "offramp-bundle/1";

  public Manifest {
    if (!FORMAT.equals(format)) {
      throw new BundleException(
          "format: expected '"
              + FORMAT
              + "', found '"
              + format
              + "'. This offramp reads bundle format 1 only; rebuild the bundle with this version"
              + " or run the offramp version that wrote it.");
    }
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(training, "training");
    if (name == null || name.isBlank()) {
      throw new BundleException("name: expected a non-empty bundle name");
    }
    classes = List.copyOf(classes);
    if (classes.size() < 2) {
      throw new BundleException(
          "classes: expected at least 2 class labels, found " + classes.size());
    }
    stages = List.copyOf(stages);
    checkStages(stages, input);
    profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    checkProfiles(profiles, defaultProfile, stages.size() - 1, classes.size());
  }

  private static void checkStages(List<StageSpec> stages, InputSpec input) {
    if (stages.size() < 2) {
      throw new BundleException(
          "stages: expected at least 2 stages (one early exit and the last stage), found "
              + stages.size());
    }
    if (!stages.get(0).input().equals(input.tensor())) {
      throw new BundleException(
          "stages[0].input: expected the input tensor '"
              + input.tensor()
              + "' named in input.tensor, found '"
              + stages.get(0).input()
              + "'");
    }
    Set<String> files = new HashSet<>();
    for (int k = 0; k < stages.size(); k++) {
      StageSpec stage = stages.get(k);
      boolean last = k == stages.size() - 1;
      if (!files.add(stage.file())) {
        throw new BundleException(
            "stages[" + k + "].file: '" + stage.file() + "' is used by an earlier stage too");
      }
      if (last && stage.features().isPresent()) {
        throw new BundleException(
            "stages["
                + k
                + "].features: expected null for the last stage, found '"
                + stage.features().get()
                + "'");
      }
      if (!last) {
        if (stage.features().isEmpty()) {
          throw new BundleException(
              "stages["
                  + k
                  + "].features: expected the cut tensor forwarded to stage "
                  + (k + 1)
                  + ", found null");
        }
        String features = stage.features().get();
        String next = stages.get(k + 1).input();
        if (!features.equals(next)) {
          throw new BundleException(
              "stages["
                  + (k + 1)
                  + "].input: expected '"
                  + features
                  + "' (stages["
                  + k
                  + "].features), found '"
                  + next
                  + "'");
        }
      }
    }
  }

  private static void checkProfiles(
      Map<String, Profile> profiles, String defaultProfile, int exits, int classes) {
    if (profiles.isEmpty()) {
      throw new BundleException("profiles: expected at least one profile, found none");
    }
    for (Map.Entry<String, Profile> e : profiles.entrySet()) {
      Profile p = e.getValue();
      String field = "profiles." + e.getKey();
      if (!e.getKey().equals(p.name())) {
        throw new BundleException(field + ": key and profile name differ ('" + p.name() + "')");
      }
      if (p.thresholds().exits() != exits || p.thresholds().classes() != classes) {
        throw new BundleException(
            field
                + ".thresholds: expected "
                + exits
                + " rows (one per exit) of "
                + classes
                + " entries (one per class), found "
                + p.thresholds().exits()
                + " x "
                + p.thresholds().classes());
      }
      if (p.expected().exitRates().length != exits + 1) {
        throw new BundleException(
            field
                + ".expected.exit_rates: expected "
                + (exits + 1)
                + " rates (one per stage), found "
                + p.expected().exitRates().length);
      }
      double[][] agreement = p.expected().agreement();
      if (agreement.length > 0) {
        boolean fits = agreement.length == exits;
        for (int k = 0; fits && k < exits; k++) {
          fits = agreement[k].length == classes;
        }
        if (!fits) {
          throw new BundleException(
              field
                  + ".expected.agreement: expected "
                  + exits
                  + " rows (one per exit) of "
                  + classes
                  + " entries (one per class, null where the class never exits), found "
                  + agreement.length
                  + " rows; rebuild the bundle or remove the field");
        }
      }
    }
    if (defaultProfile == null || !profiles.containsKey(defaultProfile)) {
      throw new BundleException(
          "default_profile: expected one of "
              + profiles.keySet()
              + ", found '"
              + defaultProfile
              + "'");
    }
  }

  /** Number of early exits (stages minus one). */
  public int exits() {
    return stages.size() - 1;
  }

  /**
   * The profile of that name.
   *
   * @throws IllegalArgumentException listing the profiles this bundle has
   */
  public Profile profile(String profileName) {
    Profile p = profiles.get(profileName);
    if (p == null) {
      throw new IllegalArgumentException(
          "Unknown profile '" + profileName + "'; this bundle has " + profiles.keySet());
    }
    return p;
  }

  /** Backbone plus head MACs of the first {@code stagesRun} stages. */
  public long macsThrough(int stagesRun) {
    long macs = 0;
    for (int k = 0; k < stagesRun; k++) {
      macs += stages.get(k).totalMacs();
    }
    return macs;
  }
}
