package dev.offramp.cascade.bundle;

import java.util.List;
import java.util.Objects;

/**
 * The backbone a bundle was cut from.
 *
 * @param sha256 hex digest of the backbone ONNX file
 * @param macs multiply-accumulates of one full forward pass at batch 1
 * @param outputs the backbone's own output tensor names (kept by the last stage)
 */
public record BackboneInfo(String sha256, long macs, List<String> outputs) {
  public BackboneInfo {
    Sha256.requireHex(sha256, "sha256");
    if (macs <= 0) {
      throw new BundleException("macs: expected a positive count, found " + macs);
    }
    outputs = List.copyOf(outputs);
    if (outputs.isEmpty()) {
      throw new BundleException("outputs: expected at least one output tensor name");
    }
    Objects.requireNonNull(sha256);
  }
}
