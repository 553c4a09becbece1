package dev.offramp.cascade.exec;

import dev.offramp.cascade.exit.ExitRule;
import dev.offramp.cascade.exit.Probabilities;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One frame's way through the stages: applies the exit rule and the invalid-probabilities rules
 * ({@link CascadeExecutor} class javadoc) to each stage's output in turn, and gives the answer once
 * the frame stops.
 */
final class FrameWalk {
  private final ExitPolicy policy;
  private final int count;
  private final IntConsumer invalidAt;
  private final long[] macsThrough;
  private final List<String> providers;
  private final long[] nanos;
  private float[] fallback;
  private int validStage = -1;

  FrameWalk(
      ExitPolicy policy,
      int count,
      IntConsumer invalidAt,
      long[] macsThrough,
      List<String> providers) {
    this.policy = policy;
    this.count = count;
    this.invalidAt = invalidAt;
    this.macsThrough = macsThrough;
    this.providers = providers;
    this.nanos = new long[count];
  }

  /** Takes stage k's probabilities; the answer when the frame stops here, else null. */
  Classification offer(int k, float[] probs, long stageNanos) {
    nanos[k] = stageNanos;
    int last = count - 1;
    boolean valid = Probabilities.valid(probs);
    if (!valid) {
      invalidAt.accept(k);
    }
    if (k == last || (valid && policy.stopsAt(k, probs))) {
      if (!valid) {
        return lastStageInvalid(probs);
      }
      int cls = ExitRule.argmax(probs);
      return new Classification(
          cls,
          probs[cls],
          k,
          k + 1,
          Arrays.copyOf(nanos, k + 1),
          macsThrough[k + 1],
          probs,
          providers);
    }
    if (valid) {
      validStage = k;
      fallback = probs; // a fresh array per stage run: the walk owns it
    }
    return null;
  }

  /**
   * The answer when the last stage's output is not a probability vector ({@link CascadeExecutor}
   * class javadoc).
   */
  private Classification lastStageInvalid(float[] probs) {
    int n = count;
    if (validStage >= 0) {
      int cls = ExitRule.argmax(fallback);
      return new Classification(
          cls, fallback[cls], validStage, n, nanos, macsThrough[n], fallback, providers);
    }
    return new Classification(
        Classification.argmaxNanAsZero(probs),
        0f,
        n - 1,
        n,
        nanos,
        macsThrough[n],
        probs,
        providers);
  }
}
