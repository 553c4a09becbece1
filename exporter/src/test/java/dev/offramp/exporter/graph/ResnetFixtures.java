package dev.offramp.exporter.graph;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The torchvision ResNet-18 fixtures (random weights; origin: {@code
 * scripts/models/resnet_fixtures.py}), generated once per build into {@code
 * exporter/target/fixtures/} with Debian's Python and reused while present.
 */
public final class ResnetFixtures {
  /** Every fixture file the script writes. */
  public static final List<String> ALL =
      List.of(
          "resnet18-224-opset13.onnx",
          "resnet18-224-opset17.onnx",
          "resnet18-small-28-opset13.onnx",
          "resnet18-small-32-opset17.onnx",
          "resnet18-small-32-dynhw-opset17.onnx");

  private static final String PYTHON = "/usr/bin/python3";
  private static Path dir;

  private ResnetFixtures() {}

  /** The fixture file {@code name}, generating all fixtures first if needed. */
  public static synchronized Path get(String name) {
    if (dir == null) {
      dir = generate();
    }
    return dir.resolve(name);
  }

  private static Path generate() {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path out = moduleDir.resolve("target/fixtures").toAbsolutePath();
    if (ALL.stream().allMatch(f -> Files.isRegularFile(out.resolve(f)))) {
      return out;
    }
    Path script =
        moduleDir.toAbsolutePath().getParent().resolve("scripts/models/resnet_fixtures.py");
    if (!Files.isRegularFile(script)) {
      fail("fixture script not found at " + script + "; run the tests from the repository");
    }
    if (run(List.of(PYTHON, "-c", "import torch, torchvision"), out.getParent()) != 0) {
      fail(
          "the ResNet fixtures need PyTorch and torchvision for "
              + PYTHON
              + ": apt-get install python3-torch python3-torchvision");
    }
    if (run(List.of(PYTHON, script.toString(), out.toString()), out.getParent()) != 0) {
      fail("generating the ResNet fixtures failed: see " + out.resolveSibling("fixtures.log"));
    }
    return out;
  }

  private static int run(List<String> command, Path logDir) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve("fixtures.log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out: " + String.join(" ", command));
      }
      return p.exitValue();
    } catch (IOException e) {
      if (!Files.isExecutable(Path.of(PYTHON))) {
        fail(
            PYTHON
                + " not found; the ResNet fixtures need it with PyTorch: apt-get install python3"
                + " python3-torch python3-torchvision");
      }
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
