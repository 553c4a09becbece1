package dev.offramp.exporter.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/models/train_demo_backbone.py} trained on one machine and exported on another, as
 * the method protocol's backbones were (a GPU host, then here): {@code --train-only} saves weights
 * with the run's flags and split digests, {@code --weights} exports them and records where they
 * trained, other flags are refused, and {@code --splits-only} regenerates the splits the build
 * needs with the digests {@code backbone.json} holds. Real torch, real Fashion-MNIST, a tiny run.
 */
class TrainScriptWeightsTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final List<String> RUN =
      List.of(
          "--epochs",
          "1",
          "--width",
          "8",
          "--seed",
          "3",
          "--threads",
          "1",
          "--checkpoint",
          "",
          "--exclude-calibration",
          "0.1",
          "--calibration-seed",
          "0",
          "--train-limit",
          "300",
          "--max-batches",
          "2");

  @TempDir Path dir;

  @Test
  void weightsTrainedElsewhereExportHereWithTheirOriginAndOtherFlagsAreRefused() throws Exception {
    Path weights = dir.resolve("w.npz");
    Result trained = script(dir.resolve("gpu"), RUN, "--train-only", weights.toString());
    assertEquals(0, trained.code(), trained.log());
    assertTrue(Files.isRegularFile(weights), trained.log());
    assertTrue(
        Files.notExists(dir.resolve("gpu/backbone.onnx")), "--train-only stops before exporting");

    Result exported = script(dir.resolve("here"), RUN, "--weights", weights.toString());
    assertEquals(0, exported.code(), exported.log());
    JsonNode meta = new ObjectMapper().readTree(dir.resolve("here/backbone.json").toFile());
    assertEquals("cpu", meta.at("/trained_on/device").asText());
    assertEquals("w.npz", meta.get("weights_file").asText());
    assertTrue(Files.size(dir.resolve("here/backbone.onnx")) > 100_000);

    List<String> otherSeed = new ArrayList<>(RUN);
    otherSeed.set(otherSeed.indexOf("--seed") + 1, "4");
    Result refused = script(dir.resolve("other"), otherSeed, "--weights", weights.toString());
    assertNotEquals(0, refused.code());
    assertTrue(refused.log().contains("were trained with"), refused.log());
    assertTrue(refused.log().contains("pass the flags of the --train-only run"), refused.log());

    Result splits =
        script(
            dir.resolve("splits"),
            List.of("--exclude-calibration", "0.1", "--calibration-seed", "0"),
            "--splits-only");
    assertEquals(0, splits.code(), splits.log());
    String calibration = meta.at("/splits/calibration/sha256").asText();
    assertTrue(
        splits.log().contains("split calibration: 6000 images, sha256 " + calibration),
        splits.log());
    assertTrue(Files.isRegularFile(dir.resolve("splits/data/train-images-idx3-ubyte.gz")));
  }

  private record Result(int code, String log) {}

  private static Result script(Path out, List<String> flags, String... more)
      throws IOException, InterruptedException {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path script =
        moduleDir.toAbsolutePath().getParent().resolve("scripts/models/train_demo_backbone.py");
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--out", out.toString()));
    cmd.addAll(flags);
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("train_demo_backbone.py did not finish in 3 minutes:\n" + log);
    }
    return new Result(p.exitValue(), log);
  }
}
