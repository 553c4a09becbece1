package dev.offramp.cascade.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classifying in a loop must not grow native memory. ONNX Runtime tensors live outside the Java
 * heap, so a leaked tensor or result per call shows up only in the process RSS.
 */
class NativeMemoryTest {
  @TempDir Path dir;

  private static long rssKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line");
  }

  @Test
  void tenThousandClassificationsLeaveNativeMemoryFlat() throws IOException {
    Bundle bundle = Bundle.open(TestBundles.write(dir));
    try (CascadeExecutor executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      float[] x = new float[784];
      Random random = new Random();
      ExitPolicy policy = ExitPolicy.neverExit();
      for (int i = 0; i < 2_000; i++) { // warm-up: arenas, JIT
        executor.classify(x, policy);
      }
      System.gc();
      long before = rssKiB();
      for (int i = 0; i < 10_000; i++) {
        x[i % x.length] = (float) random.nextGaussian();
        executor.classify(x, policy);
      }
      System.gc();
      long grown = rssKiB() - before;
      // One leaked set of stage outputs per call would be ~10k x 40 KiB = 400 MB; allow 24 MB of
      // noise (allocator, JIT, GC heap sizing).
      assertTrue(grown < 24 * 1024, "RSS grew by " + grown + " KiB over 10,000 classifications");
    }
  }
}
