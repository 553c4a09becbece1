package dev.offramp.cascade.testing;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The small test bundle ({@link TestBundles}) written to a fresh directory and opened on the CPU
 * once per test class: {@code @RegisterExtension static final OpenedTestBundle CASCADE = new
 * OpenedTestBundle();}. The executor is closed and the directory removed after the class.
 */
public final class OpenedTestBundle implements BeforeAllCallback, AfterAllCallback {
  private final Random random = new Random(); // fresh inputs every run, on purpose
  private Path dir;
  private Bundle bundle;
  private CascadeExecutor executor;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("offramp-test-bundle");
    bundle = Bundle.open(TestBundles.write(dir));
    executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    executor.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  public Bundle bundle() {
    return bundle;
  }

  public CascadeExecutor executor() {
    return executor;
  }

  /** A preprocessed input of standard-normal noise, new on every call. */
  public float[] randomInput() {
    float[] x = new float[bundle.manifest().input().elementCount()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
