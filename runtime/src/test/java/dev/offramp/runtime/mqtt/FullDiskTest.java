package dev.offramp.runtime.mqtt;

import static dev.offramp.runtime.mqtt.Fixtures.await;
import static dev.offramp.runtime.mqtt.Fixtures.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.offramp.runtime.mqtt.DropCounts.Reason;
import dev.offramp.runtime.mqtt.Fixtures.FakeControl;
import dev.offramp.runtime.mqtt.Fixtures.Recorder;
import dev.offramp.runtime.pipeline.ResultEvent;
import dev.offramp.runtime.testing.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a 2 MiB tmpfs (a full disk, long before {@code buffer-max-mb}), the broker down
 * while results pile up, then back: the oldest are dropped and counted, live results flow within 10
 * s of the broker's return, and every missing seq is in the dropped counter.
 */
class FullDiskTest {
  @TempDir Path tmp;
  Path small;
  boolean mounted;

  @BeforeEach
  void mountSmallFilesystem() throws Exception {
    small = Files.createDirectories(tmp.resolve("small"));
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    mounted = p.waitFor() == 0;
    assumeTrue(mounted, "needs root to mount a 2 MiB tmpfs: " + out);
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }

  @Test
  void aFullDiskDropsTheOldestCountedAndLiveResultsFlowWithinTenSecondsOfTheBroker()
      throws Exception {
    Mosquitto own = new Mosquitto(tmp.resolve("broker"), "").start();
    Path out = tmp.resolve("sub.txt");
    Process sub = own.persistentSubscriber("rec-full", "offramp/dev-full/cam0/result", out);
    MqttSettings s =
        Records.with(
            MqttPublisherTest.settings(own.url(), "dev-full", small),
            "bufferDir",
            small.resolve("buf"));
    long n = 0;
    try (MqttPublisher pub = MqttPublisher.start(s, new FakeControl("p"), Map::of)) {
      assertTrue(await(Duration.ofSeconds(10), pub::connected));
      Thread.sleep(300);
      own.stop();
      assertTrue(await(Duration.ofSeconds(10), () -> !pub.connected()));
      // About 7 MB of results against 2 MiB of disk, paced so the hand-off queue never overflows.
      n = produce(pub, 30, 500, false);
      assertTrue(pub.drops().get(Reason.FULL) > 0, "the disk filled up: " + pub.drops().snapshot());
      long beforeBroker = n;
      own.start();
      long back = System.nanoTime();
      // Live results while the backlog drains: the first one must arrive within 10 s.
      long firstLive = -1;
      while (System.nanoTime() - back < Duration.ofSeconds(30).toNanos()) {
        pub.accept(result("cam0", ++n));
        Thread.sleep(20);
        if (firstLive < 0 && liveSeen(out, beforeBroker)) {
          firstLive = System.nanoTime() - back;
        }
        if (firstLive > 0 && pub.bufferDepth() == 0) {
          break;
        }
      }
      assertTrue(firstLive > 0, "no live result after the broker came back");
      assertTrue(
          firstLive < Duration.ofSeconds(10).toNanos(),
          "first live result " + firstLive / 1_000_000 + " ms after the broker came back");
      long total = n;
      assertTrue(
          await(
              Duration.ofSeconds(30),
              () -> seqs(out).size() + pub.bufferDropped() == total && pub.bufferDepth() == 0),
          "received " + seqs(out).size() + " + dropped " + pub.bufferDropped() + " of " + total);
      TreeSet<Long> got = seqs(out);
      long missing = total - got.size();
      assertEquals(missing, pub.bufferDropped(), "every missing seq is counted");
      assertEquals(
          missing,
          pub.drops().get(Reason.FULL) + pub.drops().get(Reason.STORAGE),
          "and counted as full or storage: " + pub.drops().snapshot());
      System.out.printf(
          "full disk: %d results, %d dropped %s, first live result %d ms after the broker%n",
          total, missing, pub.drops().snapshot(), firstLive / 1_000_000);
    } finally {
      sub.destroy();
      own.close();
    }
  }

  @Test
  void aDiskFilledByOthersMakesStorageFailVisiblyAndResultsGoLiveFromMemoryCounted()
      throws Exception {
    Mosquitto own = new Mosquitto(tmp.resolve("broker2"), "").start();
    MqttSettings s =
        Records.with(
            MqttPublisherTest.settings(own.url(), "dev-fail", small),
            Map.of("bufferDir", small.resolve("buf"), "queueCapacity", 200));
    try (Recorder rec = new Recorder(own.url(), "rec-fail", true, "offramp/dev-fail/cam0/result");
        MqttPublisher pub = MqttPublisher.start(s, new FakeControl("p"), Map::of)) {
      assertTrue(await(Duration.ofSeconds(10), pub::connected));
      own.stop();
      assertTrue(await(Duration.ofSeconds(10), () -> !pub.connected()));
      // Someone else fills the disk: the store cannot grow and has nothing of its own to evict.
      Path filler = small.resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] block = new byte[64 * 1024];
        while (true) {
          out.write(block);
        }
      } catch (java.io.IOException full) {
        // the disk is full now
      }
      long n = produce(pub, 5, 100, true);
      assertTrue(pub.storageProblem().isPresent(), "storage failing is visible");
      assertTrue(pub.storageProblem().get().contains("full"), pub.storageProblem().get());
      assertEquals(300, pub.drops().get(Reason.STORAGE), "500 produced, 200 held in memory");
      own.start();
      List<String> got = rec.on("offramp/dev-fail/cam0/result");
      // Delivery is at-least-once (a connection lost or a subscriber's ack missed while the first
      // results go out resends them), so count distinct seqs.
      assertTrue(
          await(Duration.ofSeconds(20), () -> distinct(got).size() >= 200),
          "live: " + distinct(got).size());
      TreeSet<Long> seqs = distinct(got);
      assertEquals(200, seqs.size());
      assertEquals(301L, seqs.first(), "the newest 200 were kept");
      assertEquals(500L, seqs.last(), "and nothing produced later or earlier");
      Thread.sleep(1500);
      assertTrue(
          pub.storageProblem().isPresent(),
          "retries with nothing to write do not declare the still-full disk working");
      Files.delete(filler);
      pub.accept(result("cam0", ++n));
      assertTrue(
          await(Duration.ofSeconds(10), () -> pub.storageProblem().isEmpty()),
          "storage recovers with the first result stored once there is room");
      assertTrue(await(Duration.ofSeconds(10), () -> distinct(got).size() >= 201));
      System.out.printf(
          "storage failing: %d received, %d distinct%n", got.size(), distinct(got).size());
      assertEquals(300, pub.bufferDropped(), "and nothing else was lost");
    } finally {
      own.close();
    }
  }

  private static TreeSet<Long> distinct(List<String> payloads) {
    TreeSet<Long> s = new TreeSet<>();
    for (String j : List.copyOf(payloads)) {
      s.add(ResultJson.fromJson(j).seq());
    }
    return s;
  }

  private static boolean liveSeen(Path out, long after) {
    return Mosquitto.payloads(out).stream()
        .map(ResultJson::fromJson)
        .anyMatch(e -> e.seq() > after);
  }

  private static TreeSet<Long> seqs(Path out) {
    TreeSet<Long> s = new TreeSet<>();
    for (String l : Mosquitto.payloads(out)) {
      ResultEvent e = ResultJson.fromJson(l);
      s.add(e.seq());
    }
    return s;
  }

  /**
   * Accepts {@code bursts} bursts of {@code size} results (seq from 1), waiting after each until
   * every result is stored, held in memory or counted as dropped ({@code exact}: the sum equals
   * what was produced; else it reaches it).
   *
   * @return the last seq
   */
  private static long produce(MqttPublisher pub, int bursts, int size, boolean exact)
      throws InterruptedException {
    long n = 0;
    for (int burst = 0; burst < bursts; burst++) {
      for (int i = 0; i < size; i++) {
        pub.accept(result("cam0", ++n));
      }
      long produced = n;
      assertTrue(
          await(
              Duration.ofSeconds(20),
              () -> {
                long accounted = pub.bufferDepth() + pub.bufferDropped();
                return exact ? accounted == produced : accounted >= produced;
              }),
          "stored, held or counted: " + pub.bufferDepth() + " + " + pub.bufferDropped());
    }
    return n;
  }
}
