package dev.offramp.exporter.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a split's content: SHA-256 over its pixels as loaded (every image, in order, at
 * the input size and color) followed by every label as a 4-byte big-endian integer. Two splits with
 * the same digest hold the same images with the same labels in the same order, so report.json can
 * show that a calibration or test split is the one a backbone was (or was not) trained on. {@code
 * scripts/models/train_demo_backbone.py} computes the same digest over the IDX bytes of 28×28 gray
 * images. Stateless.
 */
public final class SplitDigest {
  private SplitDigest() {}

  /** Lower-case hex SHA-256 of {@code set}. */
  public static String sha256(ImageSet set) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    md.update(set.pixels(), 0, set.size() * set.imageBytes());
    byte[] label = new byte[4];
    for (int l : set.labels()) {
      label[0] = (byte) (l >>> 24);
      label[1] = (byte) (l >>> 16);
      label[2] = (byte) (l >>> 8);
      label[3] = (byte) l;
      md.update(label);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * How many images of {@code b} also occur in {@code a} (same pixels and label): a separate
   * calibration set should share none with the split the heads train on.
   */
  public static int overlap(ImageSet a, ImageSet b) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    byte[] px = new byte[a.imageBytes()];
    for (int i = 0; i < a.size(); i++) {
      a.image(i, px);
      seen.add(key(px, a.labels()[i]));
    }
    int shared = 0;
    byte[] q = new byte[b.imageBytes()];
    for (int i = 0; i < b.size(); i++) {
      b.image(i, q);
      shared += seen.contains(key(q, b.labels()[i])) ? 1 : 0;
    }
    return shared;
  }

  private static String key(byte[] px, int label) {
    return label + ":" + java.util.Base64.getEncoder().encodeToString(px);
  }
}
