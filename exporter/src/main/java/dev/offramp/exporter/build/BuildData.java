package dev.offramp.exporter.build;

import dev.offramp.exporter.data.CalibrationSource;
import dev.offramp.exporter.data.DataSettings;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.features.CutSpec;
import dev.offramp.exporter.features.FeatureCache;
import dev.offramp.exporter.features.FeatureExtractor;
import dev.offramp.exporter.features.SplitFeatures;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The images of a build: the dataset loaded at the backbone's input, where its calibration split
 * came from, and the (possibly limited) training images. Immutable.
 *
 * @param settings what was asked for
 * @param dataset the splits
 * @param calibrationSource where the calibration split came from
 * @param train the training images used (limited by {@code --train-limit})
 */
public record BuildData(
    DataSettings settings, Dataset dataset, CalibrationSource calibrationSource, ImageSet train) {
  private static final Logger LOG = System.getLogger(BuildData.class.getName());

  /**
   * Loads the dataset for {@code plan}'s input, warns when the calibration split may overlap the
   * backbone's training images, and checks the classes match the backbone's outputs.
   */
  public static BuildData load(BackbonePlan plan, DataSettings settings) {
    Dataset data = settings.load(plan.input());
    CalibrationSource cal = CalibrationSource.of(data, settings.calibrationSpec());
    if (cal.mayOverlapBackboneTraining() || cal.sharedWithTrain() > 0) {
      LOG.log(Level.WARNING, "calibration split: " + cal.summary());
    }
    plan.requireClasses(data.classes(), settings.spec());
    int classes = data.classes().size();
    return new BuildData(settings, data, cal, settings.limitTrain(data.train(), classes));
  }

  /** Number of classes. */
  public int classes() {
    return dataset.classes().size();
  }

  /**
   * Cached features of the train, calibration and (optionally) test splits.
   *
   * @param train training features
   * @param valid calibration features
   * @param test test features, when the build evaluates on the test split
   */
  public record Features(SplitFeatures train, SplitFeatures valid, Optional<SplitFeatures> test) {}

  /** Runs the backbone once per split and keeps {@code cuts}' pooled maps. */
  public Features extract(BackbonePlan plan, List<CutSpec> cuts, boolean withTest) {
    FeatureCache train;
    FeatureCache valid;
    Optional<FeatureCache> test;
    try (FeatureExtractor fx = plan.extractor(cuts, classes())) {
      train = fx.extract(this.train, "train");
      valid = fx.extract(dataset.valid(), "valid");
      test = withTest ? Optional.of(fx.extract(dataset.test(), "test")) : Optional.empty();
    }
    LOG.log(
        Level.INFO,
        String.format(
            Locale.ROOT,
            "feature cache: %.1f MB",
            (train.bytes() + valid.bytes() + test.map(FeatureCache::bytes).orElse(0L)) / 1e6));
    return new Features(
        train.features(cuts), valid.features(cuts), test.map(t -> t.features(cuts)));
  }
}
