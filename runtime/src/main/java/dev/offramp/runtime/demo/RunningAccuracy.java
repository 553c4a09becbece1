package dev.offramp.runtime.demo;

import dev.offramp.runtime.pipeline.FrameResultListener;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Scores results against the demo's known labels and prints a running line at most every {@code
 * periodMs}: frames, accuracy, mean stages run, mean inference time. Called on the pipeline thread;
 * the counters are read by {@link #summary()} from any thread.
 */
public final class RunningAccuracy implements FrameResultListener {
  private final DemoLabels labels;
  private final PrintWriter out;
  private final long periodNanos;
  private long frames;
  private long correct;
  private long stages;
  private double inferenceMs;
  private long lastPrint;

  public RunningAccuracy(DemoLabels labels, PrintWriter out, long periodMs) {
    this.labels = labels;
    this.out = out;
    this.periodNanos = periodMs * 1_000_000L;
  }

  @Override
  public synchronized void accept(long frameIndex, ResultEvent event) {
    frames++;
    if (event.classId() == labels.labelOf(frameIndex)) {
      correct++;
    }
    stages += event.stagesRun();
    inferenceMs += event.inferenceMs();
    long now = System.nanoTime();
    if (frames == 1) {
      lastPrint = now;
    } else if (now - lastPrint >= periodNanos) {
      lastPrint = now;
      out.println(summary());
      out.flush();
    }
  }

  public synchronized long frames() {
    return frames;
  }

  public synchronized long correct() {
    return correct;
  }

  /** E.g. {@code frames 120 accuracy 91.7% mean stages 1.84 inference 1.92 ms}. */
  public synchronized String summary() {
    if (frames == 0) {
      return "frames 0";
    }
    return String.format(
        Locale.ROOT,
        "frames %d  accuracy %.1f%%  mean stages %.2f  inference %.2f ms",
        frames,
        100.0 * correct / frames,
        (double) stages / frames,
        inferenceMs / frames);
  }
}
