package dev.offramp.exporter.build;

import dev.offramp.cascade.bundle.ProfileTarget;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.Cpm;
import dev.offramp.exporter.calibrate.TargetSearch;
import dev.offramp.exporter.evaluate.CascadeMetrics;
import dev.offramp.exporter.evaluate.ProfileMetrics;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.train.BranchTraining;
import dev.offramp.exporter.train.HeadShape;
import dev.offramp.exporter.train.TrainedHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One scheme's trained branches with their exit probabilities on the calibration split (and, when
 * asked, the test split), so that any margin can be calibrated and scored without running a head
 * again. Owns the trained heads: close it. Not thread-safe.
 */
public final class TrainedScheme implements AutoCloseable {
  private final BranchTraining.Outcome outcome;
  private final float[][][] validStages;
  private final int[] validLabels;
  private final Optional<float[][][]> testStages;
  private final Optional<int[]> testLabels;
  private final double[] reference;
  private final long[] macsThrough;
  private final long backboneMacs;
  private final double seconds;

  private TrainedScheme(
      BranchTraining.Outcome outcome,
      SplitFeatures valid,
      Optional<SplitFeatures> test,
      long[] macsThrough,
      long backboneMacs,
      double seconds) {
    this.outcome = outcome;
    int classes = valid.backboneProbs()[0].length;
    this.validStages = stack(outcome.validExitProbs(), valid.backboneProbs());
    this.validLabels = valid.labels();
    this.testStages = test.map(t -> stack(exitProbs(outcome, t, classes), t.backboneProbs()));
    this.testLabels = test.map(SplitFeatures::labels);
    this.reference = Cpm.backbonePrecision(valid.backboneProbs(), valid.labels(), classes);
    this.macsThrough = macsThrough.clone();
    this.backboneMacs = backboneMacs;
    this.seconds = seconds;
  }

  /**
   * Trains the branches of {@code shapes} under {@code settings}.
   *
   * @param test features to score on besides the calibration split, if any
   * @param macsThrough MACs through each stage ({@link BackbonePlan#macsThrough})
   */
  public static TrainedScheme train(
      List<HeadShape> shapes,
      SplitFeatures train,
      SplitFeatures valid,
      Optional<SplitFeatures> test,
      BranchTraining.Settings settings,
      long[] macsThrough,
      long backboneMacs) {
    long t0 = System.nanoTime();
    BranchTraining.Outcome out = BranchTraining.run(shapes, train, valid, settings);
    double seconds = (System.nanoTime() - t0) / 1e9;
    try {
      return new TrainedScheme(out, valid, test, macsThrough, backboneMacs, seconds);
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static List<float[][]> exitProbs(BranchTraining.Outcome o, SplitFeatures f, int classes) {
    List<float[][]> exits = new ArrayList<>();
    for (int k = 0; k < o.heads().size(); k++) {
      TrainedHead h = o.heads().get(k);
      exits.add(
          BranchTraining.rows(h.probabilities(f.pooled().get(k), f.size()), f.size(), classes));
    }
    return exits;
  }

  /** [sample][stage][class] from per-exit arrays plus the backbone's. */
  static float[][][] stack(List<float[][]> exits, float[][] backbone) {
    int n = backbone.length;
    float[][][] out = new float[n][exits.size() + 1][];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < exits.size(); k++) {
        out[i][k] = exits.get(k)[i];
      }
      out[i][exits.size()] = backbone[i];
    }
    return out;
  }

  /** The training outcome: heads, per-branch statistics, calibration-split exit probabilities. */
  public BranchTraining.Outcome outcome() {
    return outcome;
  }

  /** Wall time of the training, in seconds. */
  public double seconds() {
    return seconds;
  }

  /** The backbone's per-class precision on the calibration split (CPM's reference). */
  public double[] reference() {
    return reference.clone();
  }

  /** CPM thresholds under {@code cal}. */
  public ThresholdTable calibrate(Calibration.Settings cal) {
    return Calibration.calibrate(outcome.validExitProbs(), validLabels, reference, cal);
  }

  /** Metrics of {@code table} on the calibration split, as profile {@code name}. */
  public ProfileMetrics validMetrics(String name, double margin, ThresholdTable table) {
    return CascadeMetrics.compute(
        name, margin, validStages, validLabels, table, macsThrough, backboneMacs);
  }

  /** Metrics of {@code table} on the test split, when this scheme was scored on one. */
  public Optional<ProfileMetrics> testMetrics(String name, double margin, ThresholdTable table) {
    return testStages.map(
        s ->
            CascadeMetrics.compute(
                name, margin, s, testLabels.orElseThrow(), table, macsThrough, backboneMacs));
  }

  /**
   * Per-image stage probabilities on the test split, when scored on one ([image][stage][class]).
   */
  /** The calibration split's probabilities per sample and stage; the caller must not modify it. */
  float[][][] validStages() {
    return validStages;
  }

  public Optional<float[][][]> testStages() {
    return testStages;
  }

  /** The target profile's margin, searched on the calibration split ({@link TargetSearch}). */
  public TargetSearch.Choice search(Calibration.Settings base, ProfileTarget target) {
    return TargetSearch.search(
        outcome.validExitProbs(),
        validStages,
        validLabels,
        reference,
        base,
        macsThrough,
        backboneMacs,
        target);
  }

  @Override
  public void close() {
    outcome.close();
  }
}
