package dev.offramp.exporter.cli;

import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.preprocess.Preprocessor;
import dev.offramp.exporter.data.Dataset;
import dev.offramp.exporter.data.DatasetLoader;
import dev.offramp.exporter.data.ImageSet;
import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Dataset images preprocessed exactly as a bundle's manifest says, for {@code verify --data}. */
final class RealInputs {
  private RealInputs() {}

  static List<float[]> load(Path bundleDir, String spec, int count, long seed) {
    if (!Files.isRegularFile(bundleDir.resolve(Bundle.MANIFEST))) {
      throw new IllegalArgumentException(
          "--data needs a bundle directory (its manifest.json says how to preprocess images); "
              + bundleDir
              + " has none. Verify a split directory on random inputs only, or verify the bundle.");
    }
    if (count < 1) {
      throw new IllegalArgumentException("--data-samples must be >= 1, got " + count);
    }
    InputSpec in = Bundle.open(bundleDir).manifest().input();
    InputOptions options = InputOptions.of(in);
    Dataset dataset = DatasetLoader.load(spec, options, 0.1, seed);
    ImageSet test = dataset.split(Split.TEST);
    Preprocessor pre = new Preprocessor(in);
    byte[] pixels = new byte[test.imageBytes()];
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < Math.min(count, test.size()); i++) {
      test.image(i, pixels);
      float[] x = new float[in.elementCount()];
      pre.fill(pixels, x, 0);
      out.add(x);
    }
    return out;
  }
}
