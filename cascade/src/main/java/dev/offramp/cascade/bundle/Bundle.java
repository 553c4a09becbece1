package dev.offramp.cascade.bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A cascade bundle on disk whose manifest is valid and whose stage files exist and match their
 * recorded SHA-256. Immutable; opening one reads and hashes every stage file once.
 *
 * @param dir the bundle directory
 * @param manifest its validated manifest
 */
public record Bundle(Path dir, Manifest manifest) {
  /** The manifest's file name inside a bundle directory. */
  public static final String MANIFEST = "manifest.json";

  public Bundle {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(manifest, "manifest");
  }

  /**
   * Opens and validates a bundle directory.
   *
   * @throws BundleException naming the file and field at fault, and what to do
   */
  public static Bundle open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BundleException(
          dir
              + ": not a directory. Expected a bundle directory (manifest.json + stage-*.onnx)"
              + " as written by `offramp build`.");
    }
    Manifest manifest = ManifestJson.read(dir.resolve(MANIFEST));
    for (int k = 0; k < manifest.stages().size(); k++) {
      StageSpec stage = manifest.stages().get(k);
      Path file = dir.resolve(stage.file());
      if (!Files.isRegularFile(file)) {
        throw new BundleException(
            dir.resolve(MANIFEST)
                + ": stages["
                + k
                + "].file: '"
                + stage.file()
                + "' does not exist in "
                + dir
                + ". The bundle is incomplete; copy the whole directory again.");
      }
      String actual = Sha256.hex(file);
      if (!actual.equals(stage.sha256())) {
        throw new BundleException(
            file
                + ": SHA-256 mismatch (stages["
                + k
                + "].sha256). Expected "
                + stage.sha256()
                + ", found "
                + actual
                + ". The file was altered or truncated; copy the bundle again or rebuild it.");
      }
    }
    return new Bundle(dir, manifest);
  }

  /** Path of stage {@code k}'s graph. */
  public Path stageFile(int k) {
    return dir.resolve(manifest.stages().get(k).file());
  }
}
