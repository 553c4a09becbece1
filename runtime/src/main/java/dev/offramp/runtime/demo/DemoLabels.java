package dev.offramp.runtime.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Ground truth of the demo video: {@code labels.csv} with a header and rows {@code
 * frame_index,label_id,label}, one per frame, indices 0..n-1 in order.
 *
 * @param labelIds the label id of each frame
 */
public record DemoLabels(int[] labelIds) {
  public DemoLabels {
    labelIds = labelIds.clone();
    if (labelIds.length == 0) {
      throw new IllegalArgumentException("labels: expected at least one frame");
    }
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed row
   */
  public static DemoLabels read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read labels " + file + ": " + e.getMessage(), e);
    }
    int[] ids = new int[Math.max(0, lines.size() - 1)];
    int n = 0;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", 3);
      try {
        int index = Integer.parseInt(cells[0].strip());
        if (index != n || cells.length < 2) {
          throw new NumberFormatException("expected frame_index " + n);
        }
        ids[n++] = Integer.parseInt(cells[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": expected frame_index,label_id,label with frame_index "
                + n
                + ", found '"
                + line
                + "'",
            e);
      }
    }
    return new DemoLabels(Arrays.copyOf(ids, n));
  }

  /** The label id of each frame, a copy: the record stays immutable. */
  @Override
  public int[] labelIds() {
    return labelIds.clone();
  }

  public int frames() {
    return labelIds.length;
  }

  /** The label of a frame; indices past the end wrap (a looping video). */
  public int labelOf(long frameIndex) {
    return labelIds[(int) (frameIndex % labelIds.length)];
  }
}
