package dev.offramp.exporter.data;

import java.util.List;

/**
 * A loaded dataset: class names and the three splits, already at the input size and color order.
 *
 * @param spec the dataset SPEC as given ({@code kind:DIR})
 * @param classes class names, index = label
 * @param train training split
 * @param valid calibration split
 * @param test evaluation split
 * @param holdOuts splits made by hold-out (recorded in report.json)
 */
public record Dataset(
    String spec,
    List<String> classes,
    ImageSet train,
    ImageSet valid,
    ImageSet test,
    List<HoldOut> holdOuts) {
  /** Copies the lists and checks every split is non-empty and of one image size. */
  public Dataset {
    classes = List.copyOf(classes);
    holdOuts = List.copyOf(holdOuts);
    for (Split s : Split.values()) {
      ImageSet set = split(s, train, valid, test);
      if (set.size() == 0) {
        throw new DatasetException(
            "dataset "
                + spec
                + ": split '"
                + s.key()
                + "' is empty; expected at least one image per class");
      }
      for (int l : set.labels()) {
        if (l < 0 || l >= classes.size()) {
          throw new DatasetException(
              "dataset " + spec + ": label " + l + " outside 0.." + (classes.size() - 1));
        }
      }
    }
  }

  private static ImageSet split(Split s, ImageSet train, ImageSet valid, ImageSet test) {
    return switch (s) {
      case TRAIN -> train;
      case VALID -> valid;
      case TEST -> test;
    };
  }

  /** The images of split {@code s}. */
  public ImageSet split(Split s) {
    return split(s, train, valid, test);
  }
}
