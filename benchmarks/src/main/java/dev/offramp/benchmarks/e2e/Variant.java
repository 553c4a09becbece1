package dev.offramp.benchmarks.e2e;

/**
 * One way of classifying a frame that the interleaved harness times: the monolithic backbone, or a
 * cascade under one exit policy. Not thread-safe; the harness calls it from one thread.
 */
public interface Variant {
  /** Name in reports, e.g. {@code monolithic}, {@code boosted:m0.02}. */
  String name();

  /** Classifies one preprocessed NCHW input and returns the predicted class. */
  int classify(float[] input);

  /** MACs executed by the last {@link #classify} call (exit heads included). */
  long lastMacs();

  /** Stage that answered the last call (0 for the monolithic backbone). */
  int lastExitStage();
}
