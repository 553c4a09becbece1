package dev.offramp.runtime.budget;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.bundle.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A profile the controller may choose, with what the manifest says about it.
 *
 * @param name profile name
 * @param accuracy the manifest's {@code expected.accuracy}
 * @param macsFraction the manifest's {@code expected.macs_fraction}, the cost prior
 */
public record Candidate(String name, double accuracy, double macsFraction) {
  public Candidate {
    Objects.requireNonNull(name, "name");
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException(
          "accuracy of " + name + ": expected [0, 1]; found " + accuracy);
    }
    if (!(macsFraction > 0)) {
      throw new IllegalArgumentException(
          "macs_fraction of " + name + ": expected > 0; found " + macsFraction);
    }
  }

  /** Most accurate first; among equally accurate, the cheaper first. */
  public static final Comparator<Candidate> PREFERENCE =
      Comparator.comparingDouble(Candidate::accuracy)
          .reversed()
          .thenComparingDouble(Candidate::macsFraction);

  /** The manifest's profiles in order of preference. */
  public static List<Candidate> of(Manifest manifest) {
    List<Candidate> out = new ArrayList<>();
    for (Profile p : manifest.profiles().values()) {
      out.add(new Candidate(p.name(), p.expected().accuracy(), p.expected().macsFraction()));
    }
    out.sort(PREFERENCE);
    return List.copyOf(out);
  }
}
