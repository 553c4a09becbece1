package dev.offramp.runtime.bundle;

import dev.offramp.runtime.settings.ConfigNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code bundle} section: which cascade bundle to run and with which exit profile.
 *
 * @param path the bundle directory
 * @param profile the exit profile; empty for the manifest's default profile
 * @param updates how bundles are replaced without a restart
 */
public record BundleSettings(Path path, Optional<String> profile, BundleUpdateSettings updates) {
  public BundleSettings {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(updates, "updates");
  }

  /**
   * Parses the {@code bundle} section; the directory must exist (the bundle itself is validated
   * when it is opened).
   */
  public static BundleSettings parse(ConfigNode node) {
    Path path =
        node.optionalPath("path")
            .orElseThrow(
                () -> node.error("path", "expected a bundle directory (or --bundle)", "nothing"));
    if (!path.toFile().isDirectory()) {
      throw node.error("path", "expected an existing bundle directory", "'" + path + "'");
    }
    return new BundleSettings(
        path, node.optionalString("profile"), BundleUpdateSettings.parse(node));
  }
}
