package dev.offramp.exporter.data;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads a dataset from its SPEC ({@code fashion-mnist:DIR}, {@code imagefolder:DIR}, {@code
 * cifar10:DIR}) at the input size and color order. A missing valid split is held out of train
 * ({@code validFraction} per class, seeded); a missing test split is an error for imagefolder (the
 * other two formats always have one). Stateless.
 */
public final class DatasetLoader {
  private static final Logger LOG = System.getLogger(DatasetLoader.class.getName());

  /** Fashion-MNIST class names, index = label. */
  public static final List<String> FASHION_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** CIFAR-10 class names (used when batches.meta.txt is absent). */
  public static final List<String> CIFAR_CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private DatasetLoader() {}

  /**
   * Loads the dataset named by {@code spec}.
   *
   * @param spec {@code kind:DIR}
   * @param in input size and color
   * @param validFraction fraction of train held out as valid when the dataset has no valid split
   * @param seed hold-out seed
   */
  public static Dataset load(String spec, InputOptions in, double validFraction, long seed) {
    return load(spec, Optional.empty(), in, validFraction, seed);
  }

  /**
   * Loads the dataset named by {@code spec}, with the calibration (valid) split taken from a
   * separate SPEC when {@code calibrationSpec} is given: then every image of {@code spec}'s train
   * split stays in train (no hold-out is made) and the valid split is the train split of {@code
   * calibrationSpec} (for imagefolder, {@code DIR/train/CLASS/}; its test split is not needed).
   *
   * @param spec {@code kind:DIR}
   * @param calibrationSpec {@code kind:DIR} of the calibration set, if separate
   * @param in input size and color
   * @param validFraction fraction of train held out as valid when there is no valid split
   * @param seed hold-out seed
   */
  public static Dataset load(
      String spec,
      Optional<String> calibrationSpec,
      InputOptions in,
      double validFraction,
      long seed) {
    Path dir = directory(spec);
    Map<Split, ImageSet> splits = new EnumMap<>(Split.class);
    List<String> classes = read(spec, dir, in, splits);
    List<HoldOut> holdOuts = new ArrayList<>();
    ImageSet train = splits.get(Split.TRAIN);
    if (train == null || train.size() == 0) {
      throw new DatasetException("dataset " + spec + ": no training images found in " + dir);
    }
    if (calibrationSpec.isPresent()) {
      ImageSet cal = loadCalibration(calibrationSpec.get(), in, classes);
      if (splits.containsKey(Split.VALID)) {
        LOG.log(
            Level.INFO,
            "dataset {0}: its own valid split is not used; calibrating on {1}",
            spec,
            calibrationSpec.get());
      }
      splits.put(Split.VALID, cal);
    } else if (!splits.containsKey(Split.VALID)) {
      HoldOut.Parts parts =
          HoldOut.split(train, classes.size(), Split.VALID, Split.TRAIN, validFraction, seed);
      train = parts.kept();
      splits.put(Split.VALID, parts.heldOut());
      holdOuts.add(parts.info());
      LOG.log(Level.INFO, "dataset {0}: {1}", spec, parts.info());
    }
    if (!splits.containsKey(Split.TEST)) {
      throw new DatasetException(
          "dataset "
              + spec
              + ": no test split found; expected "
              + (spec.toLowerCase(Locale.ROOT).contains("mnist:")
                  ? dir.resolve("t10k-images-idx3-ubyte(.gz)") + " and its labels"
                  : dir.resolve("test")));
    }
    return new Dataset(
        spec, classes, train, splits.get(Split.VALID), splits.get(Split.TEST), holdOuts);
  }

  /**
   * The calibration set of {@code --calibration-data SPEC}: the train split of {@code spec}, whose
   * class list must equal {@code classes}.
   */
  public static ImageSet loadCalibration(String spec, InputOptions in, List<String> classes) {
    Path dir = directory(spec);
    Map<Split, ImageSet> splits = new EnumMap<>(Split.class);
    List<String> found = read(spec, dir, in, splits);
    if (!found.equals(classes)) {
      throw new DatasetException(
          "--calibration-data "
              + spec
              + ": classes "
              + found
              + " differ from the training data's "
              + classes
              + "; expected the same classes in the same order");
    }
    ImageSet cal = splits.get(Split.TRAIN);
    if (cal == null || cal.size() == 0) {
      throw new DatasetException(
          "--calibration-data " + spec + ": no images found; expected its train split in " + dir);
    }
    return cal;
  }

  private static Path directory(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new DatasetException(
          "--data: expected KIND:DIR with KIND one of fashion-mnist, imagefolder, cifar10, found '"
              + spec
              + "'");
    }
    Path dir = Path.of(spec.substring(colon + 1));
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(
          "--data " + spec + ": directory " + dir.toAbsolutePath() + " does not exist");
    }
    return dir;
  }

  private static List<String> read(
      String spec, Path dir, InputOptions in, Map<Split, ImageSet> splits) {
    String kind = spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "fashion-mnist", "mnist" -> IdxFormat.load(dir, in, splits, spec);
      case "imagefolder" -> loadFolder(dir, in, splits, spec);
      case "cifar10" -> loadCifar(dir, in, splits, spec);
      default ->
          throw new DatasetException(
              "--data: unknown dataset kind '"
                  + kind
                  + "': expected fashion-mnist, imagefolder or cifar10");
    };
  }

  // ---- cifar10: binary batches ---------------------------------------------------------------

  private static List<String> loadCifar(
      Path dir, InputOptions in, Map<Split, ImageSet> out, String spec) {
    Path base =
        Files.isDirectory(dir.resolve("cifar-10-batches-bin"))
            ? dir.resolve("cifar-10-batches-bin")
            : dir;
    List<Path> train = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Path p = base.resolve("data_batch_" + i + ".bin");
      if (Files.isRegularFile(p)) {
        train.add(p);
      }
    }
    Path test = base.resolve("test_batch.bin");
    if (train.isEmpty() || !Files.isRegularFile(test)) {
      throw new DatasetException(
          "dataset "
              + spec
              + ": expected data_batch_1..5.bin and test_batch.bin in "
              + base
              + ", not found");
    }
    out.put(Split.TRAIN, readCifar(train, in));
    out.put(Split.TEST, readCifar(List.of(test), in));
    Path meta = base.resolve("batches.meta.txt");
    try {
      if (Files.isRegularFile(meta)) {
        List<String> names =
            Files.readAllLines(meta).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.size() == 10) {
          return names;
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + meta + ": " + e, e);
    }
    return CIFAR_CLASSES;
  }

  private static ImageSet readCifar(List<Path> files, InputOptions in) {
    final int rec = 1 + 3072;
    int outBytes = in.width() * in.height() * in.channels();
    List<byte[]> chunks = new ArrayList<>();
    try {
      for (Path f : files) {
        chunks.add(Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read CIFAR-10 batch: " + e, e);
    }
    int n = 0;
    for (byte[] c : chunks) {
      if (c.length % rec != 0) {
        throw new DatasetException(
            "CIFAR-10 batch: expected a multiple of 3073 bytes, found " + c.length);
      }
      n += c.length / rec;
    }
    byte[] px = new byte[n * outBytes];
    int[] lab = new int[n];
    byte[] rgb = new byte[3072];
    int i = 0;
    for (byte[] c : chunks) {
      for (int off = 0; off < c.length; off += rec, i++) {
        lab[i] = c[off] & 0xff;
        for (int p = 0; p < 1024; p++) { // planar R,G,B -> interleaved RGB
          rgb[3 * p] = c[off + 1 + p];
          rgb[3 * p + 1] = c[off + 1 + 1024 + p];
          rgb[3 * p + 2] = c[off + 1 + 2048 + p];
        }
        Pixels.convert(rgb, 32, 32, 3, in, px, i * outBytes);
      }
    }
    return new ImageSet(in.width(), in.height(), in.channels(), px, lab);
  }

  // ---- imagefolder ---------------------------------------------------------------------------

  private static List<String> loadFolder(
      Path dir, InputOptions in, Map<Split, ImageSet> out, String spec) {
    Path trainDir = dir.resolve("train");
    if (!Files.isDirectory(trainDir)) {
      throw new DatasetException(
          "dataset " + spec + ": expected " + trainDir + "/CLASS/*.png|jpg, not found");
    }
    List<String> classes;
    try (Stream<Path> s = Files.list(trainDir)) {
      classes = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list " + trainDir + ": " + e, e);
    }
    if (classes.isEmpty()) {
      throw new DatasetException(
          "dataset " + spec + ": no class directories in " + trainDir + "; expected train/CLASS/");
    }
    for (Split s : Split.values()) {
      Path sd = dir.resolve(s.key());
      if (Files.isDirectory(sd)) {
        out.put(s, readFolder(sd, classes, in));
      }
    }
    return classes;
  }

  private static ImageSet readFolder(Path splitDir, List<String> classes, InputOptions in) {
    int outBytes = in.width() * in.height() * in.channels();
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path cd = splitDir.resolve(classes.get(c));
      if (!Files.isDirectory(cd)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(cd)) {
        files =
            s.filter(
                    p -> {
                      String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                      return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                    })
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new DatasetException("cannot list " + cd + ": " + e, e);
      }
      for (Path f : files) {
        ImageFile.Decoded img = ImageFile.decode(f, in.channels() == 1);
        byte[] dst = new byte[outBytes];
        Pixels.convert(img.pixels(), img.width(), img.height(), img.channels(), in, dst, 0);
        images.add(dst);
        labels.add(c);
      }
    }
    byte[] px = new byte[images.size() * outBytes];
    int[] lab = new int[images.size()];
    for (int i = 0; i < lab.length; i++) {
      System.arraycopy(images.get(i), 0, px, i * outBytes, outBytes);
      lab[i] = labels.get(i);
    }
    return new ImageSet(in.width(), in.height(), in.channels(), px, lab);
  }
}
