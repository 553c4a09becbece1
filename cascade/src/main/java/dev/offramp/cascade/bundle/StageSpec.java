package dev.offramp.cascade.bundle;

import dev.offramp.cascade.value.Required;
import java.util.Optional;

/**
 * One stage graph of a bundle.
 *
 * @param file file name inside the bundle directory, e.g. {@code stage-0.onnx}
 * @param sha256 hex digest of that file, checked at load
 * @param input name of the stage's input tensor (the previous cut, or the image)
 * @param features name of the forwarded cut tensor; empty for the last stage
 * @param probs name of the exit's softmax output
 * @param macs backbone multiply-accumulates of this stage at batch 1
 * @param headMacs multiply-accumulates of this stage's exit head (0 for the last stage)
 */
public record StageSpec(
    String file,
    String sha256,
    String input,
    Optional<String> features,
    String probs,
    long macs,
    long headMacs) {

  public StageSpec {
    Required.nonNull("file, input, features, probs", file, input, features, probs);
    Sha256.requireHex(sha256, "sha256");
    if (file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
      throw new BundleException(
          "file: expected a plain file name inside the bundle directory, found '" + file + "'");
    }
    if (macs < 0) {
      throw new BundleException("macs: expected a count >= 0, found " + macs);
    }
    if (headMacs < 0) {
      throw new BundleException("head_macs: expected a count >= 0, found " + headMacs);
    }
  }

  /** Backbone plus head multiply-accumulates of this stage. */
  public long totalMacs() {
    return macs + headMacs;
  }
}
