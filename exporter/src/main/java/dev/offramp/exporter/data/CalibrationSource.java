package dev.offramp.exporter.data;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a build's calibration (valid) split came from, and whether the backbone may have trained on
 * it. CPM thresholds aim at the backbone's per-class precision measured on this split; on images
 * the backbone trained on, that precision is its training-set precision, higher than on unseen
 * images, so the exits are calibrated against an optimistic reference.
 *
 * @param kind how the split was made
 * @param spec the SPEC it was read from
 * @param mayOverlapBackboneTraining true when the images come out of data a backbone is normally
 *     trained on (a hold-out of the training split)
 * @param sharedWithTrain calibration images that also occur (same pixels and label) in the split
 *     the heads train on; 0 for a hold-out by construction
 */
public record CalibrationSource(
    Kind kind, String spec, boolean mayOverlapBackboneTraining, int sharedWithTrain) {
  /** How the calibration split was made. */
  public enum Kind {
    /**
     * Held out of {@code --data}'s train split (the default when the dataset has no valid split).
     */
    HELD_OUT_OF_TRAIN,
    /** The dataset's own valid split (imagefolder {@code valid/}). */
    DATASET_VALID_SPLIT,
    /** A separate set given with {@code --calibration-data}. */
    SEPARATE_SET;

    /** Lower-case, dash-separated name used in report.json. */
    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The source of {@code data}'s valid split, given the {@code --calibration-data} SPEC if any. */
  public static CalibrationSource of(Dataset data, Optional<String> calibrationData) {
    boolean heldOut = data.holdOuts().stream().anyMatch(h -> h.split() == Split.VALID);
    int shared = heldOut ? 0 : SplitDigest.overlap(data.train(), data.valid());
    if (calibrationData.isPresent()) {
      return new CalibrationSource(Kind.SEPARATE_SET, calibrationData.get(), shared > 0, shared);
    }
    return heldOut
        ? new CalibrationSource(Kind.HELD_OUT_OF_TRAIN, data.spec(), true, 0)
        : new CalibrationSource(Kind.DATASET_VALID_SPLIT, data.spec(), shared > 0, shared);
  }

  /** A plain sentence for the build summary and report.json. */
  public String summary() {
    String shared =
        sharedWithTrain == 0
            ? ""
            : ". WARNING: "
                + sharedWithTrain
                + " calibration images also occur in the training split (same pixels and label):"
                + " the heads trained on them, and a backbone trained on that split saw them too;"
                + " remove them from one of the two";
    return switch (kind) {
      case HELD_OUT_OF_TRAIN ->
          "held out of the training split of "
              + spec
              + ". WARNING: if the backbone was trained on that split (the usual case), it has"
              + " seen these images, so the per-class precision the exits are calibrated against"
              + " is its training-set precision and the cascade will exit more often (and drop"
              + " more accuracy) on new images than the calibration figures say. Pass"
              + " --calibration-data SPEC with images the backbone never saw, and --data without"
              + " them.";
      case DATASET_VALID_SPLIT ->
          "the valid split of "
              + spec
              + " (not from its training split; make sure the backbone did not train on it)"
              + shared;
      case SEPARATE_SET ->
          "a separate set, "
              + spec
              + " (its train split); the whole training split trains heads"
              + shared;
    };
  }
}
