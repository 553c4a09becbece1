package dev.offramp.runtime.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.cascade.testing.TestNets;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.testing.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline swaps executors between two frames with real ONNX Runtime sessions: results before
 * name the old bundle, after the new one, seq goes on by one, the profile in force stays, and the
 * old executor is handed back (open, for its owner to close) only once no frame uses it.
 */
class PipelineSwapTest {
  @TempDir Path tmp;

  @Test
  void aSwapTakesEffectBetweenFramesHandsBackTheOldExecutorAndKeepsSeqAndProfile()
      throws Exception {
    Bundle a = Bundle.open(TestBundles.write(Files.createDirectories(tmp.resolve("a"))));
    Path bDir = TestBundles.write(Files.createDirectories(tmp.resolve("b")), TestNets.small(9));
    rename(bDir, "net-b");
    Bundle b = Bundle.open(bDir);
    List<ResultEvent> results = new CopyOnWriteArrayList<>();
    byte[] frame = Media.grayImages(1, 28, 28).get(0);
    try (CascadeExecutor ea = CascadeExecutor.open(a, ExecutionOptions.defaults());
        CascadeExecutor eb = CascadeExecutor.open(b, ExecutionOptions.defaults())) {
      LatestFrameSlot slot = new LatestFrameSlot(PipelineTest.GRAY28);
      Pipeline pipeline =
          new Pipeline(
              new PipelineParts(
                  "dev1",
                  "cam0",
                  a.manifest(),
                  ea,
                  slot,
                  new PipelineTest.FixedMeter(),
                  List.of(results::add),
                  "never",
                  0,
                  0));
      pipeline.start();
      for (int i = 0; i < 3; i++) {
        slot.publish(frame, i, System.nanoTime(), i, true);
        PipelineTest.awaitResults(results, i + 1);
      }
      CompletableFuture<CascadeExecutor> swapped = pipeline.swap(eb);
      // Handed back within the loop's 100 ms round even with no frame arriving.
      assertSame(ea, swapped.get(5, TimeUnit.SECONDS));
      assertEquals("net-b", pipeline.bundle().name());
      for (int i = 3; i < 6; i++) {
        slot.publish(frame, i, System.nanoTime(), i, true);
        PipelineTest.awaitResults(results, i + 1);
      }
      assertTrue(pipeline.stop(2_000));
      BundleId idA = BundleId.of(a);
      BundleId idB = BundleId.of(b);
      for (int i = 0; i < 6; i++) {
        ResultEvent r = results.get(i);
        assertEquals(i + 1, r.seq());
        assertEquals(i < 3 ? idA : idB, r.bundle(), "frame " + i);
        assertEquals("never", r.profile());
      }
      assertEquals(12, idA.sha256().length());
      assertTrue(!idA.equals(idB));
      // The old executor still works: the pipeline borrowed it and closed nothing.
      ea.classify(
          new float[a.manifest().input().elementCount()],
          dev.offramp.cascade.exec.ExitPolicy.neverExit());

      ExecutionException late =
          assertThrows(ExecutionException.class, () -> pipeline.swap(ea).get(5, TimeUnit.SECONDS));
      assertTrue(late.getCause().getMessage().contains("ended"), late.getCause().getMessage());
    }
  }

  private static void rename(Path dir, String name) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path manifest = dir.resolve("manifest.json");
    ObjectNode tree = (ObjectNode) json.readTree(manifest.toFile());
    tree.put("name", name);
    json.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), tree);
  }
}
