package dev.offramp.benchmarks.jmh;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed demo backbone and bundle are, relative to the repository root. */
final class DemoFiles {
  private DemoFiles() {}

  /** The repository root: {@code -Dofframp.root=DIR}, else the working directory. */
  static Path root() {
    return Path.of(System.getProperty("offramp.root", ".")).toAbsolutePath();
  }

  static Path bundle() {
    return require(root().resolve("demo/fashion-resnet18/bundle"));
  }

  static Path backbone() {
    return require(root().resolve("demo/fashion-resnet18/backbone.onnx"));
  }

  private static Path require(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p
              + " does not exist: run the benchmarks from the repository root (./offramp bench …)"
              + " after the demo bundle is built (scripts/models/regenerate_demo.sh)");
    }
    return p;
  }
}
