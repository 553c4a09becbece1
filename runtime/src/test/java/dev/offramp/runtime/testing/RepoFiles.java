package dev.offramp.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository itself (published schemas, docs), found from the test's directory. */
public final class RepoFiles {
  private RepoFiles() {}

  /** {@code relative} under the repository root (the directory holding {@code mvnw}). */
  public static Path resolve(String relative) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p.resolve(relative);
      }
    }
    throw new IllegalStateException(
        "expected the tests to run inside the repository (a parent directory with mvnw); found"
            + " none above "
            + Path.of("").toAbsolutePath());
  }
}
