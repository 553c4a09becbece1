package dev.offramp.cascade.exec;

import java.util.List;

/**
 * The answer for one input.
 *
 * @param classId predicted class (argmax of the answering stage)
 * @param confidence that class's probability at the answering stage
 * @param exitStage the answering stage, 0-based
 * @param stagesRun stages executed ({@code exitStage + 1})
 * @param stageNanos wall time of each stage run
 * @param macs multiply-accumulates executed, exit heads included
 * @param probs the answering stage's probabilities
 * @param providers the execution provider each stage got
 */
public record Classification(
    int classId,
    float confidence,
    int exitStage,
    int stagesRun,
    long[] stageNanos,
    long macs,
    float[] probs,
    List<String> providers) {

  public Classification {
    if (stageNanos.length != stagesRun) {
      throw new IllegalArgumentException(
          "stageNanos: expected " + stagesRun + " entries, found " + stageNanos.length);
    }
  }

  /** Total inference time over the stages run. */
  public long inferenceNanos() {
    long total = 0;
    for (long n : stageNanos) {
      total += n;
    }
    return total;
  }
}
