package dev.offramp.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code OrtRuntime} may create the ONNX Runtime environment: created anywhere else, on a
 * thread with an ordinary stack, ONNX Runtime's telemetry start-up can overflow that stack (issue
 * 11). The benchmarks module sits above every other module, so it checks all their sources.
 */
class OrtEnvironmentOwnershipTest {
  // Split so that this file does not match itself.
  private static final String CALL = "OrtEnvironment" + ".getEnvironment(";

  @Test
  void onlyOrtRuntimeCreatesTheOnnxRuntimeEnvironment() throws IOException {
    Path root = DeepBackboneCommandsTest.repositoryRoot();
    List<String> offenders;
    int scanned;
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !root.relativize(p).toString().contains("target/"))
              .toList();
      scanned = sources.size();
      offenders =
          sources.stream()
              .filter(p -> !p.getFileName().toString().equals("OrtRuntime.java"))
              .filter(p -> read(p).contains(CALL))
              .map(p -> root.relativize(p).toString())
              .toList();
    }
    assertTrue(scanned > 100, "expected the repository's Java sources under " + root);
    assertEquals(
        List.of(),
        offenders,
        "these call " + CALL + ") directly; use dev.offramp.cascade.exec.OrtRuntime.environment()");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
