package dev.offramp.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.capture.Capture;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.capture.SourceSettings;
import dev.offramp.runtime.capture.SourceSpec;
import dev.offramp.runtime.energy.EnergyMeter;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  static final FrameFormat GRAY28 = new FrameFormat(28, 28, ColorMode.GRAY);

  @TempDir Path tmp;

  /**
   * The test bundle's pipeline (not started) under {@code profile}, fed by hand through its slot
   * with one gray frame; closing stops it and closes the executor.
   */
  private final class FedByHand implements AutoCloseable {
    final List<ResultEvent> results = new CopyOnWriteArrayList<>();
    final LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
    final byte[] frame = Media.grayImages(1, 28, 28).get(0);
    final CascadeExecutor executor;
    final Pipeline pipeline;

    FedByHand(String profile, double maxFps) throws Exception {
      Bundle bundle =
          Bundle.open(TestBundles.write(Files.createDirectories(tmp.resolve("bundle"))));
      executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults());
      pipeline = pipeline(bundle, executor, slot, results, profile, maxFps);
    }

    @Override
    public void close() {
      pipeline.stop(2_000);
      executor.close();
    }
  }

  /**
   * A meter that charges 1 mJ per frame, so the field's plumbing is visible, and records the
   * interval billed for each frame.
   */
  static final class FixedMeter implements EnergyMeter {
    final List<long[]> billed = new CopyOnWriteArrayList<>();

    @Override
    public String method() {
      return "test:fixed";
    }

    @Override
    public double frameJoules(long startNanos, long endNanos, long macs) {
      billed.add(new long[] {startNanos, endNanos});
      return 0.001;
    }

    @Override
    public double watts() {
      return 1;
    }

    @Override
    public void close() {}
  }

  @Test
  void everyFrameOfAVideoIsClassifiedAsTheExecutorClassifiesTheDecodedImage() throws Exception {
    Bundle bundle = Bundle.open(TestBundles.write(Files.createDirectories(tmp.resolve("bundle"))));
    Path video = Media.mp4(tmp, Media.grayImages(15, 28, 28), 28, 28, 10);
    List<byte[]> decoded = Media.decodeGray(video, 28, 28);
    List<ResultEvent> results = new CopyOnWriteArrayList<>();
    List<Long> indices = new CopyOnWriteArrayList<>();
    try (CascadeExecutor executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      String profile = bundle.manifest().defaultProfile();
      LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
      Pipeline pipeline = pipeline(bundle, executor, slot, results, profile, 0);
      pipeline.addFrameListener((index, e) -> indices.add(index));
      try (Capture capture =
          new Capture(SourceSettings.of(SourceSpec.parse(video.toString())), slot, (c, s) -> {})) {
        capture.start();
        pipeline.start();
        pipeline.finished().get(30, TimeUnit.SECONDS);
      }
      assertEquals(15, results.size());
      Preprocessor pre = new Preprocessor(bundle.manifest().input());
      ExitPolicy policy = ExitPolicy.profile(bundle.manifest().profile(profile));
      for (int i = 0; i < results.size(); i++) {
        ResultEvent r = results.get(i);
        pre.fill(decoded.get(i), executor.input());
        Classification expected = executor.classify(policy);
        assertEquals(expected.classId(), r.classId(), "class of frame " + i);
        assertEquals(expected.exitStage(), r.exitStage(), "exit stage of frame " + i);
        assertEquals(expected.macs(), r.macs());
        assertEquals(TestBundles.CLASSES.get(r.classId()), r.label());
        assertEquals(i + 1, r.seq());
        assertEquals(pipeline.session(), r.session());
        assertEquals("dev1", r.device());
        assertEquals(profile, r.profile());
        assertEquals(r.stagesRun(), r.stageMs().length);
        assertEquals(1.0, r.energyMj(), 1e-9);
        assertEquals("test:fixed", r.energyMethod());
        assertEquals(0, r.droppedFrames());
        assertTrue(r.totalMs() >= r.inferenceMs() && r.inferenceMs() > 0, r.toString());
        assertEquals(i, indices.get(i));
      }
    }
  }

  @Test
  void profileSwitchTakesEffectWithoutRestartAndUnknownProfilesAreNamed() throws Exception {
    try (FedByHand run = new FedByHand("eager", 0)) {
      Pipeline pipeline = run.pipeline;
      LatestFrameSlot slot = run.slot;
      List<ResultEvent> results = run.results;
      byte[] frame = run.frame;
      pipeline.start();
      slot.publish(frame, 1, System.nanoTime(), 0, true);
      slot.publish(frame, 2, System.nanoTime(), 1, true);
      awaitResults(results, 1);
      pipeline.setProfile("never");
      assertEquals("never", pipeline.profile());
      slot.publish(frame, 3, System.nanoTime(), 2, true);
      slot.publish(frame, 4, System.nanoTime(), 3, true);
      awaitResults(results, 4);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> pipeline.setProfile("fast"));
      assertTrue(
          e.getMessage().contains("eager, exit1, never") || e.getMessage().contains("m0.05"),
          e.getMessage());
      assertTrue(pipeline.stop(2_000));
      assertEquals(1, results.get(0).stagesRun());
      assertEquals("eager", results.get(0).profile());
      assertEquals(3, results.get(3).stagesRun());
      assertEquals("never", results.get(3).profile());
    }
  }

  @Test
  void pausedPipelineClassifiesNothingUntilResumed() throws Exception {
    try (FedByHand run = new FedByHand("m0.05", 0)) {
      Pipeline pipeline = run.pipeline;
      LatestFrameSlot slot = run.slot;
      List<ResultEvent> results = run.results;
      byte[] frame = run.frame;
      pipeline.setPaused(true);
      pipeline.start();
      slot.publish(frame, 1, System.nanoTime(), 0, false);
      slot.publish(frame, 2, System.nanoTime(), 1, false);
      Thread.sleep(300);
      assertEquals(0, results.size());
      pipeline.setPaused(false);
      awaitResults(results, 1);
      assertEquals(
          0, results.get(0).droppedFrames(), "frames overwritten while paused are not drops");
      assertEquals(2, results.get(0).captureEpochMs(), "the latest frame wins");
      pipeline.stop(2_000);
    }
  }

  @Test
  void frameRateCapSpacesResults() throws Exception {
    try (FedByHand run = new FedByHand("m0.05", 20)) {
      Pipeline pipeline = run.pipeline;
      LatestFrameSlot slot = run.slot;
      List<ResultEvent> results = run.results;
      byte[] frame = run.frame;
      pipeline.start();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
      int i = 0;
      while (System.nanoTime() < end) {
        slot.publish(frame, i, System.nanoTime(), i++, false);
        Thread.sleep(2);
      }
      pipeline.stop(2_000);
      assertTrue(results.size() >= 15 && results.size() <= 22, "20 fps for 1 s: " + results.size());
      assertTrue(
          results.get(results.size() - 1).droppedFrames() > 0, "frames between results are drops");
    }
  }

  @Test
  void pacedFileFrameCountsNeitherItsWaitForItsTurnAsLatencyNorBillsItAsEnergy() throws Exception {
    Bundle bundle = Bundle.open(TestBundles.write(Files.createDirectories(tmp.resolve("bundle"))));
    Path video = Media.mp4(tmp, Media.grayImages(5, 28, 28), 28, 28, 10);
    List<ResultEvent> results = new CopyOnWriteArrayList<>();
    FixedMeter meter = new FixedMeter();
    double maxFps = 4;
    double periodMs = 1_000 / maxFps;
    try (CascadeExecutor executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      LatestFrameSlot slot = new LatestFrameSlot(GRAY28);
      Pipeline pipeline =
          pipeline(
              bundle, executor, slot, results, bundle.manifest().defaultProfile(), maxFps, meter);
      try (Capture capture =
          new Capture(SourceSettings.of(SourceSpec.parse(video.toString())), slot, (c, s) -> {})) {
        capture.start();
        pipeline.start();
        pipeline.finished().get(30, TimeUnit.SECONDS);
      }
    }
    assertEquals(5, results.size());
    assertEquals(5, meter.billed.size());
    for (int i = 0; i < results.size(); i++) {
      ResultEvent r = results.get(i);
      // A decode-time stamp counted the wait for the turn: one to two periods (250-500 ms).
      assertTrue(
          r.totalMs() < periodMs,
          "frame " + i + ": total " + r.totalMs() + " ms includes the pacing wait: " + r);
      assertTrue(r.totalMs() >= r.preprocessMs() + r.inferenceMs(), r.toString());
      long[] interval = meter.billed.get(i);
      assertEquals(
          r.preprocessMs() + r.inferenceMs(),
          (interval[1] - interval[0]) / 1e6,
          1e-6,
          "energy billed for preprocessing and inference only, frame " + i);
    }
    double[] totals = results.stream().mapToDouble(ResultEvent::totalMs).sorted().toArray();
    assertTrue(
        totals[totals.length / 2] < periodMs / 10,
        "median total " + totals[totals.length / 2] + " ms is the frame's own work");
  }

  /** A pipeline on device dev1, camera cam0, a fixed 1 mJ meter, no frame limit. */
  private static Pipeline pipeline(
      Bundle bundle,
      CascadeExecutor executor,
      LatestFrameSlot slot,
      List<ResultEvent> results,
      String profile,
      double maxFps) {
    return pipeline(bundle, executor, slot, results, profile, maxFps, new FixedMeter());
  }

  /** A pipeline on device dev1, camera cam0, no frame limit. */
  private static Pipeline pipeline(
      Bundle bundle,
      CascadeExecutor executor,
      LatestFrameSlot slot,
      List<ResultEvent> results,
      String profile,
      double maxFps,
      EnergyMeter meter) {
    return new Pipeline(
        new PipelineParts(
            "dev1",
            "cam0",
            bundle.manifest(),
            executor,
            slot,
            meter,
            List.of(results::add),
            profile,
            maxFps,
            0));
  }

  static void awaitResults(List<ResultEvent> results, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (results.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(results.size() >= n, "results: " + results.size());
  }
}
