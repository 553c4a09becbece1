package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.runtime.capture.CapturedFrame;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.pipeline.ActiveBundle.Current;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the frames of one take on the current bundle: one frame through the executor's own input
 * buffer, or the frames of several cameras as one {@code classifyBatch} call. Pipeline thread only;
 * the batch path keeps one preprocessed buffer per camera, reused.
 */
final class FrameRuns {
  /**
   * One frame's answer and what it cost.
   *
   * @param c the answer
   * @param preprocessNanos this frame's preprocessing
   * @param inferenceNanos the stage runs it took part in (in a batch: the whole batched call)
   * @param energyFrom start of the interval billed to this frame ({@link System#nanoTime()})
   * @param energyTo its end
   */
  record Timed(
      Classification c, long preprocessNanos, long inferenceNanos, long energyFrom, long energyTo) {

    /** The result of {@code frame}, the {@code seq}-th of {@code camera}, as the sinks get it. */
    ResultEvent event(
        String deviceId,
        String camera,
        String session,
        long seq,
        CapturedFrame frame,
        Current run,
        String profile,
        EnergyMeter meter) {
      // Energy is billed for this frame's own work only, preprocessing to exit decision; the wait
      // for the frame (pacing, an empty slot) is idle time no frame caused.
      double joules = meter.frameJoules(energyFrom, energyTo, c.macs());
      double[] stageMs = new double[c.stagesRun()];
      long[] stageNanos = c.stageNanos();
      for (int i = 0; i < stageMs.length; i++) {
        stageMs[i] = stageNanos[i] / 1e6;
      }
      return new ResultEvent(
          deviceId,
          camera,
          session,
          seq,
          frame.captureEpochMs(),
          run.manifest().classes().get(c.classId()),
          c.classId(),
          c.confidence(),
          c.exitStage(),
          c.stagesRun(),
          profile,
          preprocessNanos / 1e6,
          stageMs,
          inferenceNanos / 1e6,
          // Capture (a file frame: its take; see LatestFrameSlot) to hand-off to the sinks.
          (System.nanoTime() - frame.captureNanos()) / 1e6,
          c.macs(),
          joules * 1e3,
          meter.method(),
          frame.droppedBefore(),
          false,
          run.bundle());
    }
  }

  private float[][] buffers = new float[0][];
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong batchedFrames = new AtomicLong();

  /**
   * Whether {@code executor}'s bundle takes a batch, and the batched calls and frames so far, for
   * {@code /api/status}; any thread.
   */
  Map<String, Object> status(CascadeExecutor executor) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      m.put("bundle_batched", executor.batched());
    } catch (IllegalStateException e) {
      m.put("bundle_batched", null); // swapped and closed since it was read; asked again later
    }
    m.put("batches", batches.get());
    m.put("frames", batchedFrames.get());
    return m;
  }

  /** One frame through the executor's input buffer, as the single-camera daemon always ran. */
  static Timed one(Current run, ExitPolicy policy, CapturedFrame frame) {
    long start = System.nanoTime();
    run.preprocessor().fill(frame.pixels(), run.executor().input());
    long preprocessed = System.nanoTime();
    Classification c = run.executor().classify(policy);
    long inferred = System.nanoTime();
    return new Timed(c, preprocessed - start, inferred - preprocessed, start, inferred);
  }

  /** Runs frame {@code i} of the last {@link #batch} again, alone (its features for the audit). */
  Classification alone(Current run, ExitPolicy policy, int i) {
    return run.executor().classify(buffers[i], policy);
  }

  /**
   * The {@code n} frames of the last take as one batch. Energy: the batch's interval, preprocessing
   * to the last exit, is cut into {@code n} equal slices, one billed to each frame with its own
   * multiply-accumulates, so the frames together are billed the batch once.
   */
  List<Timed> batch(Current run, ExitPolicy policy, FrameFeeds feeds, int n) {
    int size = run.executor().input().capacity();
    if (buffers.length < n || buffers[0].length != size) {
      buffers = new float[Math.max(n, feeds.feeds().size())][size];
    }
    long start = System.nanoTime();
    long[] pre = new long[n];
    List<float[]> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      run.preprocessor().fill(feeds.frame(i).pixels(), buffers[i], 0);
      pre[i] = System.nanoTime() - t0;
      inputs.add(buffers[i]);
    }
    long preprocessed = System.nanoTime();
    List<Classification> answers = run.executor().classifyBatch(inputs, policy);
    long inferred = System.nanoTime();
    batches.incrementAndGet();
    batchedFrames.addAndGet(n);
    long slice = (inferred - start) / n;
    List<Timed> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long from = start + i * slice;
      out.add(
          new Timed(
              answers.get(i),
              pre[i],
              inferred - preprocessed,
              from,
              i == n - 1 ? inferred : from + slice));
    }
    return out;
  }
}
