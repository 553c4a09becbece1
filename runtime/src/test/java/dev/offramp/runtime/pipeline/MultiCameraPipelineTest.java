package dev.offramp.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.Classification;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.audit.AuditSettings;
import dev.offramp.runtime.audit.LiveAudit;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pipeline over several cameras: batches of the frames that wait, answers as alone. */
class MultiCameraPipelineTest {
  private static final int CAMERAS = 4;
  private static final int FRAMES = 12;

  @TempDir Path tmp;

  @Test
  void framesThatWaitTogetherRunAsOneBatchWithTheAnswersEachFrameGetsAlone() throws Exception {
    run(null, null);
  }

  @Test
  void anAuditedBatchStillAuditsItsSampledFramesFromTheirOwnRuns() throws Exception {
    AuditSettings every =
        new AuditSettings(
            1.0, 0.05, AuditSettings.Action.REPORT, 30, 1_000, Duration.ofSeconds(10), 7);
    Manifest manifest = Bundle.open(bundleDir()).manifest();
    LiveAudit audit = new LiveAudit(every, manifest, () -> "eager");
    run(audit, "eager");
    assertTrue(audit.sampled() > 0, "sampled " + audit.sampled());
    assertEquals(audit.sampled(), audit.audited() + audit.skipped());
    assertEquals(0, audit.skipped());
  }

  private Path bundleDir() throws Exception {
    Path dir = tmp.resolve("b");
    return Files.isDirectory(dir) ? dir : TestBundles.write(Files.createDirectories(dir));
  }

  /** Four cameras of twelve frames each through one pipeline, checked against lone runs. */
  private void run(LiveAudit audit, String profileName) throws Exception {
    Bundle bundle = Bundle.open(bundleDir());
    List<byte[]> images = Media.grayImages(CAMERAS * FRAMES, 28, 28);
    List<LatestFrameSlot> slots = new ArrayList<>();
    List<FrameFeeds.Feed> feeds = new ArrayList<>();
    for (int c = 0; c < CAMERAS; c++) {
      LatestFrameSlot slot = new LatestFrameSlot(PipelineTest.GRAY28);
      slots.add(slot);
      feeds.add(new FrameFeeds.Feed("cam" + c, slot, 0));
    }
    List<ResultEvent> results = new CopyOnWriteArrayList<>();
    try (CascadeExecutor executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      assertTrue(executor.batched(), "the test bundle takes a batch");
      String profile = profileName == null ? bundle.manifest().defaultProfile() : profileName;
      Pipeline pipeline =
          new Pipeline(
              new PipelineParts(
                  "dev1",
                  bundle.manifest(),
                  executor,
                  new FrameFeeds(feeds),
                  new PipelineTest.FixedMeter(),
                  List.of(results::add),
                  profile,
                  0));
      if (audit != null) {
        pipeline.setAudit(audit);
      }
      // Paused while every camera's first frame arrives: on resume they wait together.
      pipeline.setPaused(true);
      List<Thread> cameras = new ArrayList<>();
      for (int c = 0; c < CAMERAS; c++) {
        int cam = c;
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < FRAMES; i++) {
                      slots.get(cam).publish(images.get(cam * FRAMES + i), 1, 1, i, true);
                    }
                    slots.get(cam).end(Optional.empty());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        cameras.add(t);
      }
      pipeline.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!slots.stream().allMatch(LatestFrameSlot::holdsFrame)) {
        assertTrue(System.nanoTime() < deadline, "every camera's first frame within 10 s");
        Thread.sleep(5);
      }
      pipeline.setPaused(false);
      pipeline.finished().get(20, java.util.concurrent.TimeUnit.SECONDS);
      for (Thread t : cameras) {
        t.join(5_000);
      }
      assertEquals(CAMERAS * FRAMES, results.size());
      assertTrue((Long) pipeline.batching().get("frames") >= CAMERAS, "" + pipeline.batching());

      Preprocessor pre = new Preprocessor(bundle.manifest().input());
      ExitPolicy policy =
          audit == null
              ? ExitPolicy.profile(bundle.manifest().profile(profile))
              : audit.policy(ExitPolicy.profile(bundle.manifest().profile(profile)));
      for (int c = 0; c < CAMERAS; c++) {
        String camera = "cam" + c;
        List<ResultEvent> mine = results.stream().filter(e -> e.camera().equals(camera)).toList();
        assertEquals(
            java.util.stream.LongStream.rangeClosed(1, FRAMES).boxed().toList(),
            mine.stream().map(ResultEvent::seq).toList(),
            camera);
        for (int i = 0; i < FRAMES; i++) {
          pre.fill(images.get(c * FRAMES + i), executor.input());
          Classification alone = executor.classify(policy);
          ResultEvent e = mine.get(i);
          assertEquals(alone.classId(), e.classId(), camera + " frame " + i);
          assertEquals(alone.exitStage(), e.exitStage(), camera + " frame " + i);
          assertEquals(alone.confidence(), e.confidence(), 1e-5, camera + " frame " + i);
        }
      }
      assertEquals(CAMERAS * FRAMES, pipeline.published());
    }
  }
}
