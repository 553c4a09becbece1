package dev.offramp.benchmarks.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's per-image outcomes on a test split (format {@value #FORMAT}, written by {@code offramp
 * evaluate --outcomes}, or by {@code scripts/models/train_demo_backbone.py} for a plain backbone as
 * a one-stage run with a single profile). Immutable.
 *
 * @param source the file, for messages
 * @param seed the run's seed (the bundle's training seed)
 * @param splitSha256 digest of the test split; runs are comparable only on the same split
 * @param backboneMacs the run's backbone MACs (the reference for MAC fractions)
 * @param macsThrough MACs of running the first s stages, s = 0..stages
 * @param profiles one per margin (or target)
 */
public record Outcomes(
    String source,
    long seed,
    String splitSha256,
    long backboneMacs,
    long[] macsThrough,
    List<Profile> profiles) {
  /** The format tag this reader accepts. */
  public static final String FORMAT = "offramp-outcomes/1";

  /**
   * One profile's outcomes.
   *
   * @param name profile name
   * @param margin its margin
   * @param target whether it is a target profile (not one of the margin grid)
   * @param stage answering stage per image
   * @param correct whether the answer is right, per image
   */
  public record Profile(
      String name, double margin, boolean target, byte[] stage, boolean[] correct) {}

  /** Copies the list. */
  public Outcomes {
    profiles = List.copyOf(profiles);
    macsThrough = macsThrough.clone();
  }

  /** Number of images. */
  public int samples() {
    return profiles.get(0).correct().length;
  }

  /** Reads and validates a file; errors name the file and what was expected. */
  public static Outcomes read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read outcomes " + file + ": " + e.getMessage(), e);
    }
    String where = file.toString();
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          where
              + ": expected format '"
              + FORMAT
              + "', found '"
              + (root == null ? "" : root.path("format").asText())
              + "'; write it with `offramp evaluate BUNDLE --data SPEC --outcomes FILE`");
    }
    int n = root.path("samples").asInt(-1);
    JsonNode mt = root.path("macs_through");
    if (n < 1 || !mt.isArray() || mt.size() < 2) {
      throw new IllegalArgumentException(
          where + ": expected samples ≥ 1 and macs_through with at least 2 entries");
    }
    long[] through = new long[mt.size()];
    for (int s = 0; s < through.length; s++) {
      through[s] = mt.get(s).asLong();
    }
    List<Profile> profiles = new ArrayList<>();
    for (JsonNode p : root.path("profiles")) {
      String name = p.path("name").asText();
      String stage = p.path("stage").asText();
      String correct = p.path("correct").asText();
      if (stage.length() != n || correct.length() != n) {
        throw new IllegalArgumentException(
            where
                + ": profile "
                + name
                + ": expected "
                + n
                + " stage digits and correct flags, found "
                + stage.length()
                + " and "
                + correct.length());
      }
      byte[] st = new byte[n];
      boolean[] ok = new boolean[n];
      for (int i = 0; i < n; i++) {
        int s = stage.charAt(i) - '0';
        if (s < 0 || s >= through.length - 1) {
          throw new IllegalArgumentException(
              where
                  + ": profile "
                  + name
                  + ", image "
                  + i
                  + ": stage '"
                  + stage.charAt(i)
                  + "' outside 0.."
                  + (through.length - 2));
        }
        char c = correct.charAt(i);
        if (c != '0' && c != '1') {
          throw new IllegalArgumentException(
              where + ": profile " + name + ", image " + i + ": expected 0 or 1, found " + c);
        }
        st[i] = (byte) s;
        ok[i] = c == '1';
      }
      profiles.add(
          new Profile(name, p.path("margin").asDouble(), p.path("target").asBoolean(), st, ok));
    }
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException(where + ": expected at least one profile, found none");
    }
    long backbone = root.path("backbone_macs").asLong(0);
    if (backbone <= 0) {
      throw new IllegalArgumentException(
          where + ": expected backbone_macs > 0, found " + root.path("backbone_macs"));
    }
    return new Outcomes(
        where,
        root.path("seed").asLong(),
        root.path("split_sha256").asText(""),
        backbone,
        through,
        profiles);
  }
}
