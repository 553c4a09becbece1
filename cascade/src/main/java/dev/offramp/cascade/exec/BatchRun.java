package dev.offramp.cascade.exec;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The batched way through the stages ({@link CascadeExecutor#classifyBatch}): stage k runs once on
 * every frame still going, each frame's {@link FrameWalk} applies the exit rule, and only the
 * frames that go on are carried, as a smaller batch, to stage k + 1. When no frame stopped, stage
 * k's features tensor is already stage k + 1's input; otherwise the continuing rows are copied
 * native to native into the smaller batch's input.
 */
final class BatchRun {
  private BatchRun() {}

  /**
   * Classifies {@code frames} (each {@code size} floats, already checked) through {@code stages}.
   */
  static List<Classification> classify(
      PinnedStages stages, List<float[]> frames, int size, Supplier<FrameWalk> walk, int classes) {
    int n = frames.size();
    Classification[] out = new Classification[n];
    FrameWalk[] walks = new FrameWalk[n];
    int[] active = new int[n];
    FloatBuffer in = stages.batchInput(0, n);
    for (int i = 0; i < n; i++) {
      walks[i] = walk.get();
      active[i] = i;
      in.put(i * size, frames.get(i));
    }
    boolean chained = false;
    for (int k = 0; active.length > 0; k++) {
      int batch = active.length;
      long t0 = System.nanoTime();
      stages.runBatch(k, batch, chained);
      long nanos = System.nanoTime() - t0;
      FloatBuffer probsOut = stages.batchProbs(k, batch);
      int[] goOn = new int[batch];
      int kept = 0;
      for (int j = 0; j < batch; j++) {
        float[] probs = new float[classes];
        probsOut.get(j * classes, probs);
        Classification done = walks[active[j]].offer(k, probs, nanos);
        if (done != null) {
          out[active[j]] = done;
        } else {
          goOn[kept++] = j;
        }
      }
      if (kept == 0) {
        break;
      }
      chained = kept == batch;
      if (!chained) {
        // Compact the continuing frames' features into the next stage's input for the smaller
        // batch: native to native, the Java heap is not involved.
        FloatBuffer features = stages.batchFeatures(k, batch);
        int row = features.capacity() / batch;
        FloatBuffer next = stages.batchInput(k + 1, kept);
        for (int j = 0; j < kept; j++) {
          next.put(j * row, features, goOn[j] * row, row);
        }
      }
      int[] nextActive = new int[kept];
      for (int j = 0; j < kept; j++) {
        nextActive[j] = active[goOn[j]];
      }
      active = nextActive;
    }
    return List.of(out);
  }
}
