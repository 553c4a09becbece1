package dev.offramp.runtime.bundle;

import dev.offramp.runtime.settings.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The update keys of the {@code bundle} section.
 *
 * @param publicKey {@code public-key}: PEM Ed25519 public key; when set, every new bundle needs a
 *     valid {@code manifest.json.sig}
 * @param watchDir {@code watch-dir}: a directory whose subdirectories holding a {@code .ready}
 *     marker are installed
 * @param keepPrevious {@code keep-previous} (true): keep the replaced bundle for rollback
 * @param maxUploadBytes {@code max-upload-mb} (512): cap on an uploaded or fetched archive and on
 *     what it unpacks to
 * @param fetchTimeout {@code fetch-timeout} (60s): connect and transfer limit for a URL
 */
public record BundleUpdateSettings(
    Optional<Path> publicKey,
    Optional<Path> watchDir,
    boolean keepPrevious,
    long maxUploadBytes,
    Duration fetchTimeout) {
  /** Most entries an archive may hold. */
  public static final int MAX_ENTRIES = 1_000;

  public BundleUpdateSettings {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(watchDir, "watchDir");
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
    if (maxUploadBytes < 1) {
      throw new IllegalArgumentException(
          "bundle.max-upload-mb: expected >= 1; found " + maxUploadBytes + " bytes");
    }
  }

  /** Defaults: no key, no watched directory, keep the previous bundle, 512 MB, 60 s. */
  public static BundleUpdateSettings defaults() {
    return new BundleUpdateSettings(
        Optional.empty(), Optional.empty(), true, 512L << 20, Duration.ofSeconds(60));
  }

  /** Reads the update keys from the {@code bundle} section. */
  public static BundleUpdateSettings parse(ConfigNode node) {
    Optional<Path> key = node.optionalPath("public-key");
    if (key.isPresent() && !Files.isRegularFile(key.get())) {
      throw node.error(
          "public-key", "an Ed25519 public key file (PEM)", "'" + key.get() + "' (no such file)");
    }
    Optional<Path> watch = node.optionalPath("watch-dir");
    if (watch.isPresent() && !Files.isDirectory(watch.get())) {
      throw node.error("watch-dir", "an existing directory", "'" + watch.get() + "'");
    }
    BundleUpdateSettings d = defaults();
    boolean keep = node.bool("keep-previous", d.keepPrevious());
    int mb = node.integer("max-upload-mb", (int) (d.maxUploadBytes() >> 20), 1, 16_384);
    Duration timeout = node.duration("fetch-timeout", d.fetchTimeout());
    return new BundleUpdateSettings(key, watch, keep, (long) mb << 20, timeout);
  }
}
