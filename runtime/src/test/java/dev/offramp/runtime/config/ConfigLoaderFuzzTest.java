package dev.offramp.runtime.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.offramp.cascade.testing.TextMutations;
import dev.offramp.runtime.settings.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link ConfigLoader#load}: whatever bytes the configuration file holds, loading returns a
 * configuration or throws a {@link ConfigException} with a message; anything else (a
 * NullPointerException, StackOverflowError, OutOfMemoryError, an unchecked Jackson or SnakeYAML
 * exception) is a finding.
 *
 * <p>The normal test run replays the seeds ({@code
 * ConfigLoaderFuzzTestInputs/loadFailsOnlyWithConfigException/}: the example configuration, an
 * alias bomb, 5000-deep nesting, Java tags, duplicates, bad UTF-8) and runs a fixed-seed mutation
 * loop over the example for about a second. The long run (README, "Fuzzing") is {@code
 * JAZZER_FUZZ=1 ./mvnw -o -pl runtime -am test
 * -Dtest=ConfigLoaderFuzzTest#loadFailsOnlyWithConfigException
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConfigLoaderFuzzTest {
  private static final Path DIR;
  private static final Path FILE;

  static {
    try {
      DIR = Files.createTempDirectory("offramp-config-fuzz");
      Files.createDirectories(DIR.resolve("bundle"));
      FILE = DIR.resolve("offramp.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void loadFailsOnlyWithConfigException(byte[] input) throws IOException {
    Files.write(FILE, input);
    loadOrRefuse();
  }

  @Test
  void survivesHundredsOfMutationsOfTheExampleConfiguration() throws IOException {
    // The example names paths of a board; point the bundle at one that exists, so mutants get
    // past the first check and reach the deeper ones.
    String example =
        Files.readString(Path.of("../deploy/offramp.example.yaml"))
            .replace("/opt/offramp/bundles/fashion-resnet18", DIR.resolve("bundle").toString());
    Files.writeString(FILE, example);
    assertTrue(loadOrRefuse(), "the example itself loads");
    Random random = new Random(20261130L);
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      Files.writeString(FILE, TextMutations.mutate(example, random), StandardCharsets.UTF_8);
      if (!loadOrRefuse()) {
        refused++;
      }
    }
    assertTrue(refused > 100, "only " + refused + " of 400 mutants were refused");
  }

  /** Returns whether the file loaded; lets anything but ConfigException fail the test. */
  private static boolean loadOrRefuse() {
    try {
      ConfigLoader.load(Optional.of(FILE), List.of());
      return true;
    } catch (ConfigException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "refusal without a message");
      return false;
    }
  }
}
