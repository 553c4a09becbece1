package dev.offramp.exporter.train;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.ThresholdTable;
import dev.offramp.cascade.text.EnumNames;
import dev.offramp.exporter.calibrate.Calibration;
import dev.offramp.exporter.calibrate.Cpm;
import dev.offramp.exporter.features.SplitFeatures;
import dev.offramp.exporter.progress.ProgressBar;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains every branch of a cascade, shallow to deep, under BTS-EE ({@code boosted}) or the
 * conventional {@code baseline} scheme.
 *
 * <p>Boosted, hard weighting: branch k trains only on the training samples that branches 0..k−1,
 * with thresholds CPM-calibrated on the valid split at the training margin, do not exit ({@link
 * Calibration#survivors}, i.e. {@code ExitRule}), for as many optimizer steps as a branch trained
 * on every sample ({@link #equalStepEpochs}). Soft weighting (CalexNet): every sample trains,
 * weighted by Π_{j<k} (1 − s_j), where s_j is branch j's confidence when branch j's calibrated rule
 * exits the sample and 0 otherwise. Baseline: every branch on every sample with weight 1.
 * Stateless.
 */
public final class BranchTraining {
  private static final Logger LOG = System.getLogger(BranchTraining.class.getName());

  private BranchTraining() {}

  /** {@code boosted} (BTS-EE) or {@code baseline}. */
  public enum Scheme {
    BOOSTED,
    BASELINE;

    /** Lower-case name. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code boosted|baseline}. */
    public static Scheme parse(String s) {
      return EnumNames.parse(
          Scheme.class, s, Scheme::key, msg -> new IllegalArgumentException("--scheme: " + msg));
    }
  }

  /**
   * Settings of a training run.
   *
   * @param scheme boosted or baseline
   * @param softWeighting CalexNet soft importance weights instead of the hard survivor mask
   * @param labelTargets train on ground-truth labels instead of the backbone's prediction
   * @param train optimiser settings
   * @param survivorCalibration CPM settings (margin = {@code --train-margin}) used to pick
   *     survivors
   */
  public record Settings(
      Scheme scheme,
      boolean softWeighting,
      boolean labelTargets,
      TrainSettings train,
      Calibration.Settings survivorCalibration) {}

  /**
   * Per-branch outcome.
   *
   * @param index branch (exit) index
   * @param result weights and loss history
   * @param trainSamples training samples with a positive weight (survivors under hard boosting)
   * @param trainWeight sum of the training weights
   * @param validReaching valid samples reaching this branch under the training thresholds
   */
  public record Branch(
      int index, TrainResult result, int trainSamples, double trainWeight, int validReaching) {}

  /**
   * The trained cascade heads (owned: close them) and their outputs on the valid split.
   *
   * @param heads trained heads, one per cut
   * @param branches per-branch statistics
   * @param validExitProbs per exit, per valid sample probabilities
   * @param trainThresholds the thresholds at the training margin used for survivor selection
   */
  public record Outcome(
      List<TrainedHead> heads,
      List<Branch> branches,
      List<float[][]> validExitProbs,
      ThresholdTable trainThresholds)
      implements AutoCloseable {
    @Override
    public void close() {
      heads.forEach(TrainedHead::close);
    }
  }

  /** Target distributions per training sample (n × classes). */
  static float[] targets(SplitFeatures train, boolean labels, double temperature) {
    int n = train.size();
    int k = train.backboneProbs()[0].length;
    float[] q = new float[n * k];
    for (int i = 0; i < n; i++) {
      if (labels) {
        q[i * k + train.labels()[i]] = 1;
      } else if (temperature > 0) {
        double sum = 0;
        double[] s = new double[k];
        for (int c = 0; c < k; c++) {
          s[c] = Math.pow(Math.max(train.backboneProbs()[i][c], 1e-30), 1 / temperature);
          sum += s[c];
        }
        for (int c = 0; c < k; c++) {
          q[i * k + c] = (float) (s[c] / sum);
        }
      } else {
        q[i * k + ExitRule.argmax(train.backboneProbs()[i])] = 1;
      }
    }
    return q;
  }

  /** Splits a flat n × classes array into rows. */
  public static float[][] rows(float[] flat, int n, int classes) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
    }
    return out;
  }

  /**
   * Trains one head per cut.
   *
   * @param shapes head shape per cut
   * @param train training features
   * @param valid calibration features
   */
  public static Outcome run(
      List<HeadShape> shapes, SplitFeatures train, SplitFeatures valid, Settings s) {
    int exits = shapes.size();
    int classes = shapes.get(0).classes();
    int n = train.size();
    float[] targets = targets(train, s.labelTargets(), s.train().temperature());
    double[] reference = Cpm.backbonePrecision(valid.backboneProbs(), valid.labels(), classes);
    double[][] rows = new double[exits][classes];
    for (double[] r : rows) {
      Arrays.fill(r, Double.NaN);
    }
    List<float[][]> trainProbs = new ArrayList<>();
    List<float[][]> validProbs = new ArrayList<>();
    List<TrainedHead> heads = new ArrayList<>();
    List<Branch> branches = new ArrayList<>();
    try {
      for (int k = 0; k < exits; k++) {
        ThresholdTable table = ThresholdTable.of(rows);
        float[] w = weights(s, trainProbs, table, k, n);
        boolean[] validReach = Calibration.survivors(validProbs, table, k, valid.size());
        int active = 0;
        double wsum = 0;
        for (float x : w) {
          if (x > 0) {
            active++;
            wsum += x;
          }
        }
        LOG.log(
            Level.INFO,
            String.format(
                Locale.ROOT,
                "%s branch %d: %d of %d training samples (weight %.0f)",
                s.scheme().key(),
                k,
                active,
                n,
                wsum));
        TrainSettings ts =
            new TrainSettings(
                equalStepEpochs(s.train().epochs(), n, active),
                s.train().batchSize(),
                s.train().learningRate(),
                s.train().seed() + k,
                s.train().temperature());
        ProgressBar bar =
            new ProgressBar(s.scheme().key() + " branch " + k, (long) ts.epochs() * 1000);
        TrainedHead head =
            HeadTrainer.train(
                shapes.get(k),
                train.pooled().get(k),
                targets,
                w,
                ts,
                (e, b, bs, loss) ->
                    bar.update(
                        (e - 1) * 1000L + 1000L * b / bs,
                        String.format(Locale.ROOT, "epoch %d loss %.4f", e, loss)));
        heads.add(head);
        bar.finish(
            String.format(
                Locale.ROOT,
                "loss %.4f acc %.4f (%d samples)",
                head.result().epochLoss()[ts.epochs() - 1],
                head.result().accuracy(),
                active));
        trainProbs.add(rows(head.probabilities(train.pooled().get(k), n), n, classes));
        validProbs.add(
            rows(head.probabilities(valid.pooled().get(k), valid.size()), valid.size(), classes));
        // Thresholds at the training margin for exits 0..k (deterministic: earlier rows repeat).
        ThresholdTable partial =
            Calibration.calibrate(validProbs, valid.labels(), reference, s.survivorCalibration());
        for (int j = 0; j <= k; j++) {
          for (int c = 0; c < classes; c++) {
            rows[j][c] = partial.get(j, c).orElse(Double.NaN);
          }
        }
        int reaching = 0;
        for (boolean b : validReach) {
          reaching += b ? 1 : 0;
        }
        branches.add(new Branch(k, head.result(), active, wsum, reaching));
      }
    } catch (RuntimeException e) {
      heads.forEach(TrainedHead::close);
      throw e;
    }
    return new Outcome(heads, branches, validProbs, ThresholdTable.of(rows));
  }

  /** At most this many times the configured epochs for a branch trained on few survivors. */
  static final int MAX_EPOCH_SCALE = 8;

  /**
   * Epochs that give a branch trained on {@code active} of {@code n} samples the same number of
   * optimizer steps as one trained on all {@code n} (capped at {@link #MAX_EPOCH_SCALE}× the
   * configured epochs). Without this a boosted branch that sees a fifth of the data gets a fifth of
   * the training, and loses to the baseline for that reason alone rather than for what it learns.
   */
  static int equalStepEpochs(int epochs, int n, int active) {
    if (active <= 0 || active >= n) {
      return epochs;
    }
    long scaled = ((long) epochs * n + active - 1) / active;
    return (int) Math.min(scaled, (long) epochs * MAX_EPOCH_SCALE);
  }

  /** The training weights of branch k (see the class documentation). */
  static float[] weights(
      Settings s, List<float[][]> trainProbs, ThresholdTable table, int k, int n) {
    float[] w = new float[n];
    Arrays.fill(w, 1f);
    if (s.scheme() == Scheme.BASELINE || k == 0) {
      return w;
    }
    if (!s.softWeighting()) {
      boolean[] reach = Calibration.survivors(trainProbs, table, k, n);
      for (int i = 0; i < n; i++) {
        w[i] = reach[i] ? 1f : 0f;
      }
      return w;
    }
    for (int j = 0; j < k; j++) {
      float[][] p = trainProbs.get(j);
      for (int i = 0; i < n; i++) {
        if (ExitRule.exits(p[i], table, j)) {
          w[i] *= 1 - p[i][ExitRule.argmax(p[i])];
        }
      }
    }
    return w;
  }
}
