package dev.offramp.cascade.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.offramp.cascade.testing.TextMutations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link ManifestJson#parse}: whatever the text, it returns a manifest or throws a {@link
 * BundleException} with a message; any other exception (NullPointerException, StackOverflowError,
 * OutOfMemoryError, NumberFormatException…) is a finding.
 *
 * <p>In the normal test run the fuzz test replays its seeds ({@code
 * ManifestJsonFuzzTestInputs/parseFailsOnlyWithBundleException/}: the demo manifest and hostile
 * documents) and {@link #survivesThousandsOfMutationsOfTheDemoManifest} runs a fixed-seed mutation
 * loop for about a second. The long run (README, "Fuzzing") is {@code JAZZER_FUZZ=1 ./mvnw -o -pl
 * cascade test -Dtest=ManifestJsonFuzzTest#parseFailsOnlyWithBundleException}.
 */
class ManifestJsonFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void parseFailsOnlyWithBundleException(byte[] input) {
    parseOrRefuse(new String(input, StandardCharsets.UTF_8));
  }

  @Test
  void survivesThousandsOfMutationsOfTheDemoManifest() throws IOException {
    String seed;
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "ManifestJsonFuzzTestInputs/parseFailsOnlyWithBundleException/demo-manifest.json")) {
      seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    parseOrRefuse(seed);
    Random random = new Random(20261130L);
    int refused = 0;
    for (int i = 0; i < 3_000; i++) {
      if (!parseOrRefuse(TextMutations.mutate(seed, random))) {
        refused++;
      }
    }
    // A mutation loop that never reaches the validating code tests nothing: most mutants must be
    // refused, and the message path must have been taken.
    assertTrue(refused > 1_000, "only " + refused + " of 3000 mutants were refused");
  }

  /** Returns whether the text parsed; throws (failing the test) on anything but BundleException. */
  private static boolean parseOrRefuse(String text) {
    try {
      ManifestJson.parse(text);
      return true;
    } catch (BundleException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "refusal without a message");
      return false;
    }
  }
}
