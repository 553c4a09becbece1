package dev.offramp.runtime.pipeline;

import dev.offramp.runtime.config.ConfigNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code execution} section: ONNX Runtime execution providers, in order of preference, and
 * intra-op threads.
 *
 * @param providers e.g. {@code [tensorrt, cuda, cpu]}; the first available one runs each stage
 * @param threads intra-op threads per stage session; 0 lets the executor size them to the board
 */
public record ExecutionSettings(List<String> providers, int threads) {
  /** Providers the cascade executor knows. */
  public static final List<String> KNOWN_PROVIDERS = List.of("tensorrt", "cuda", "cpu");

  public static final ExecutionSettings DEFAULTS = new ExecutionSettings(List.of("cpu"), 0);

  public ExecutionSettings {
    providers = List.copyOf(providers);
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers must not be empty");
    }
    Objects.checkIndex(threads, 1025);
  }

  /** The providers as {@code ExecutionOptions.parse} takes them. */
  public String providerList() {
    return String.join(",", providers);
  }

  public static ExecutionSettings parse(ConfigNode node) {
    List<String> providers = node.stringList("providers", DEFAULTS.providers());
    Set<String> known = Set.copyOf(KNOWN_PROVIDERS);
    for (String provider : providers) {
      if (!known.contains(provider)) {
        throw node.error(
            "providers",
            "expected a list of " + String.join(", ", KNOWN_PROVIDERS),
            "'" + provider + "'");
      }
    }
    return new ExecutionSettings(providers, node.integer("threads", 0, 0, 1024));
  }
}
