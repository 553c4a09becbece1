package dev.offramp.exporter.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one head with DJL (PyTorch engine, CPU). Stateless; each call builds, trains and returns
 * its own model. Deterministic for a given seed: the engine's seed is set before initialisation and
 * the shuffle uses {@code java.util.Random(seed)}.
 */
public final class HeadTrainer {
  private HeadTrainer() {}

  /** Progress callback: epoch (1-based), batches done in it, batches per epoch, running loss. */
  @FunctionalInterface
  public interface Progress {
    /** Called after every batch. */
    void update(int epoch, int batch, int batches, double loss);
  }

  /** The DJL block of a head: logits out (softmax is applied outside, in loss and export). */
  static SequentialBlock block(HeadShape s) {
    SequentialBlock b = new SequentialBlock();
    for (int l = 0; l < s.layers(); l++) {
      b.add(
          Conv1d.builder()
              .setKernelShape(new Shape(3))
              .optPadding(new Shape(1))
              .setFilters(s.hidden())
              .build());
      b.add(Activation.reluBlock());
    }
    b.add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().mean(new int[] {2}))));
    b.add(Linear.builder().setUnits(s.classes()).build());
    return b;
  }

  /**
   * Trains a head.
   *
   * @param shape head sizes
   * @param features n × C·G² pooled features
   * @param targets n × classes target distributions (one-hot or soft)
   * @param weights n sample weights ≥ 0; samples with 0 are skipped
   * @param settings optimiser settings
   * @param progress called per batch
   * @return the trained head (close it)
   */
  public static TrainedHead train(
      HeadShape shape,
      float[] features,
      float[] targets,
      float[] weights,
      TrainSettings settings,
      Progress progress) {
    int n = weights.length;
    int in = shape.inputSize();
    int k = shape.classes();
    if ((long) n * in != features.length || (long) n * k != targets.length) {
      throw new IllegalArgumentException(
          "head training: expected "
              + n
              + " samples of "
              + in
              + " features and "
              + k
              + " targets, found "
              + features.length
              + " and "
              + targets.length
              + " values");
    }
    List<Integer> active = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        active.add(i);
      }
    }
    if (active.isEmpty()) {
      throw new IllegalArgumentException(
          "head training: no sample has a positive weight (all exited earlier?); "
              + "lower the training margin (build --train-margin), use fewer cuts, or train the"
              + " baseline scheme (build --scheme baseline)");
    }
    Djl.engine().setRandomSeed((int) settings.seed());
    long start = System.nanoTime();
    Model model = Model.newInstance("head", ai.djl.Device.cpu(), "PyTorch");
    try {
      model.setBlock(block(shape));
      DefaultTrainingConfig cfg =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Adam.builder()
                      .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                      .build())
              .optDevices(new ai.djl.Device[] {ai.djl.Device.cpu()});
      double[] epochLoss = new double[settings.epochs()];
      double correct = 0;
      double seen = 0;
      try (Trainer trainer = model.newTrainer(cfg)) {
        trainer.initialize(new Shape(1, shape.channels(), shape.positions()));
        Random random = new Random(settings.seed());
        int[] order = active.stream().mapToInt(Integer::intValue).toArray();
        int bs = settings.batchSize();
        int batches = (order.length + bs - 1) / bs;
        float t = (float) settings.temperature();
        for (int e = 0; e < settings.epochs(); e++) {
          shuffle(order, random);
          double lossSum = 0;
          double weightSum = 0;
          boolean last = e == settings.epochs() - 1;
          for (int bi = 0; bi < batches; bi++) {
            int from = bi * bs;
            int b = Math.min(bs, order.length - from);
            float[] xb = new float[b * in];
            float[] qb = new float[b * k];
            float[] wb = new float[b];
            float wsum = 0;
            for (int j = 0; j < b; j++) {
              int i = order[from + j];
              System.arraycopy(features, i * in, xb, j * in, in);
              System.arraycopy(targets, i * k, qb, j * k, k);
              wb[j] = weights[i];
              wsum += weights[i];
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
              NDArray x = m.create(xb, new Shape(b, shape.channels(), shape.positions()));
              NDArray q = m.create(qb, new Shape(b, k));
              NDArray w = m.create(wb, new Shape(b));
              double batchLoss;
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray scaled = t > 0 ? logits.div(t) : logits;
                NDArray ce = scaled.logSoftmax(1).mul(q).sum(new int[] {1}).neg();
                NDArray loss = ce.mul(w).sum().div(wsum);
                if (t > 0) {
                  loss = loss.mul(t * t);
                }
                gc.backward(loss);
                batchLoss = loss.getFloat();
                if (last) {
                  float[] lg = logits.toFloatArray();
                  for (int j = 0; j < b; j++) {
                    if (argmax(lg, j * k, k) == argmax(qb, j * k, k)) {
                      correct += wb[j];
                    }
                    seen += wb[j];
                  }
                }
              }
              trainer.step();
              lossSum += batchLoss * wsum;
              weightSum += wsum;
              progress.update(e + 1, bi + 1, batches, lossSum / weightSum);
            }
          }
          epochLoss[e] = lossSum / weightSum;
        }
      }
      HeadWeights hw = extract(model, shape);
      double secs = (System.nanoTime() - start) / 1e9;
      return new TrainedHead(
          model, new TrainResult(hw, epochLoss, correct / seen, active.size(), secs));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  static int argmax(float[] a, int off, int len) {
    int best = 0;
    for (int c = 1; c < len; c++) {
      if (a[off + c] > a[off + best]) {
        best = c;
      }
    }
    return best;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static HeadWeights extract(Model model, HeadShape s) {
    List<float[]> params = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      params.add(p.getValue().getArray().toFloatArray());
    }
    int expected = 2 * s.layers() + 2;
    if (params.size() != expected) {
      throw new IllegalStateException(
          "head: expected " + expected + " DJL parameters, found " + params.size());
    }
    List<float[]> w = new ArrayList<>();
    List<float[]> b = new ArrayList<>();
    for (int l = 0; l < s.layers(); l++) {
      w.add(params.get(2 * l));
      b.add(params.get(2 * l + 1));
    }
    return new HeadWeights(s, w, b, params.get(2 * s.layers()), params.get(2 * s.layers() + 1));
  }
}
