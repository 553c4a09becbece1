package dev.offramp.cascade.exec;

import dev.offramp.cascade.value.ArrayRecords;
import java.util.List;

/**
 * The answer for one input. Immutable: the arrays are copied in and handed out as copies.
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
    stageNanos = stageNanos.clone();
    probs = probs.clone();
    providers = List.copyOf(providers);
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

  /** A copy of the wall time of each stage run. */
  @Override
  public long[] stageNanos() {
    return stageNanos.clone();
  }

  /** A copy of the answering stage's probabilities. */
  @Override
  public float[] probs() {
    return probs.clone();
  }

  /** The class of highest probability, NaN read as 0 (for outputs that are not probabilities). */
  static int argmaxNanAsZero(float[] probs) {
    float[] cleaned = new float[probs.length];
    for (int c = 0; c < probs.length; c++) {
      cleaned[c] = Float.isNaN(probs[c]) ? 0f : probs[c];
    }
    return dev.offramp.cascade.exit.ExitRule.argmax(cleaned);
  }

  /** Arrays written out; equality stays the record's own (a result, compared field by field). */
  @Override
  public String toString() {
    return ArrayRecords.show(this);
  }
}
