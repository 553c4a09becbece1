package dev.offramp.exporter.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST's (and MNIST's) IDX files, plain or gzipped: {@code train-images-idx3-ubyte} and
 * {@code train-labels-idx1-ubyte}, and the {@code t10k-} pair for the test split. Stateless.
 */
final class IdxFormat {
  private IdxFormat() {}

  /** Reads the train split and, when its files are present, the test split ({@code t10k-}). */
  static List<String> load(Path dir, InputOptions in, Map<Split, ImageSet> out, String spec) {
    out.put(Split.TRAIN, readPair(dir, "train", in, spec));
    if (exists(dir, "t10k-images-idx3-ubyte")) {
      out.put(Split.TEST, readPair(dir, "t10k", in, spec));
    }
    return DatasetLoader.FASHION_CLASSES;
  }

  private static ImageSet readPair(Path dir, String prefix, InputOptions in, String spec) {
    return readIdx(
        find(dir, prefix + "-images-idx3-ubyte", spec),
        find(dir, prefix + "-labels-idx1-ubyte", spec),
        in);
  }

  private static boolean exists(Path dir, String base) {
    return List.of(base + ".gz", base, base.replace("-idx", ".idx")).stream()
        .anyMatch(n -> Files.isRegularFile(dir.resolve(n)));
  }

  private static Path find(Path dir, String base, String spec) {
    for (String name : List.of(base + ".gz", base, base.replace("-idx", ".idx"))) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new DatasetException(
        "dataset " + spec + ": expected " + base + "(.gz) in " + dir + ", not found");
  }

  private static InputStream open(Path p) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    return String.valueOf(p.getFileName()).endsWith(".gz")
        ? new GZIPInputStream(raw, 1 << 16)
        : raw;
  }

  private static ImageSet readIdx(Path images, Path labels, InputOptions in) {
    try (DataInputStream im = new DataInputStream(open(images));
        DataInputStream lb = new DataInputStream(open(labels))) {
      int magic = im.readInt();
      if (magic != 0x803) {
        throw new DatasetException(
            images + ": expected IDX image magic 0x803, found 0x" + Integer.toHexString(magic));
      }
      int n = im.readInt();
      int h = im.readInt();
      int w = im.readInt();
      int lmagic = lb.readInt();
      int ln = lb.readInt();
      if (lmagic != 0x801 || ln != n) {
        throw new DatasetException(
            labels + ": expected IDX label file with " + n + " labels, found " + ln);
      }
      byte[] src = new byte[w * h];
      int outBytes = in.width() * in.height() * in.channels();
      byte[] px = new byte[n * outBytes];
      int[] lab = new int[n];
      for (int i = 0; i < n; i++) {
        im.readFully(src);
        Pixels.convert(src, w, h, 1, in, px, i * outBytes);
        lab[i] = lb.readUnsignedByte();
      }
      return new ImageSet(in.width(), in.height(), in.channels(), px, lab);
    } catch (IOException e) {
      throw new DatasetException("cannot read IDX files " + images + ", " + labels + ": " + e, e);
    }
  }
}
