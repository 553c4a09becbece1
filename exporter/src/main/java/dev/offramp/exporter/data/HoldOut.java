package dev.offramp.exporter.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, stratified hold-out: carves split {@code split} out of {@code from} by taking {@code
 * fraction} of every class (rounded, at least one image of a class with two or more). Deterministic
 * for a given seed and input order.
 *
 * @param split the split made
 * @param from the split it was taken from
 * @param fraction fraction of each class taken, in (0,1)
 * @param seed shuffling seed
 * @param count images in the hold-out
 */
public record HoldOut(Split split, Split from, double fraction, long seed, int count) {
  /** Validates the fraction. */
  public HoldOut {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("hold-out fraction must be in (0,1), found " + fraction);
    }
  }

  /** The two parts of a hold-out: what stays and what is held out. */
  public record Parts(ImageSet kept, ImageSet heldOut, HoldOut info) {}

  /** Splits {@code set} stratified by label; the result order is by original index. */
  public static Parts split(
      ImageSet set, int classes, Split split, Split from, double fraction, long seed) {
    Random random = new Random(seed);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < set.size(); i++) {
      byClass.get(set.labels()[i]).add(i);
    }
    boolean[] held = new boolean[set.size()];
    int count = 0;
    for (List<Integer> members : byClass) {
      java.util.Collections.shuffle(members, random);
      int take = (int) Math.round(members.size() * fraction);
      if (take == 0 && members.size() >= 2) {
        take = 1;
      }
      for (int j = 0; j < take; j++) {
        held[members.get(j)] = true;
      }
      count += take;
    }
    int[] keptIdx = new int[set.size() - count];
    int[] heldIdx = new int[count];
    int k = 0;
    int h = 0;
    for (int i = 0; i < set.size(); i++) {
      if (held[i]) {
        heldIdx[h++] = i;
      } else {
        keptIdx[k++] = i;
      }
    }
    return new Parts(
        set.subset(keptIdx), set.subset(heldIdx), new HoldOut(split, from, fraction, seed, count));
  }

  /** The first {@code limit} images after a seeded stratified shuffle (for --train-limit). */
  public static ImageSet limit(ImageSet set, int classes, int limit, long seed) {
    if (limit >= set.size()) {
      return set;
    }
    double fraction = (double) limit / set.size();
    Parts parts = split(set, classes, Split.TRAIN, Split.TRAIN, fraction, seed);
    return parts.heldOut();
  }

  @Override
  public String toString() {
    return split.key()
        + " = "
        + count
        + " images held out of "
        + from.key()
        + " ("
        + fraction
        + " per class, seed "
        + seed
        + ")";
  }
}
