package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.Sha256;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which bundle produced a result: the manifest's {@code name} and the first 12 hex digits of the
 * SHA-256 of its {@code manifest.json} (the manifest pins every stage file's SHA-256, so this names
 * the whole bundle). Carried by every result as {@code "bundle": {"name": …, "sha256": …}}.
 *
 * @param name the manifest's name
 * @param sha256 12 lower-case hex digits; empty only for {@link #UNKNOWN}
 */
public record BundleId(String name, String sha256) {
  private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{12}");

  /** Results stored by a release that did not record the bundle. */
  public static final BundleId UNKNOWN = new BundleId("unknown", "");

  public BundleId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    if (!sha256.isEmpty() && !PREFIX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "bundle.sha256: expected 12 lower-case hex digits; found '" + sha256 + "'");
    }
  }

  /** The id of an opened bundle: hashes its manifest file. */
  public static BundleId of(Bundle bundle) {
    return new BundleId(
        bundle.manifest().name(),
        Sha256.hex(bundle.dir().resolve(Bundle.MANIFEST)).substring(0, 12));
  }

  @Override
  public String toString() {
    return name + "@" + sha256;
  }
}
