package dev.offramp.exporter.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.exporter.testing.TinyData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --calibration-data}, where the calibration split comes from, and split digests. */
class CalibrationDataTest {
  @TempDir Path dir;

  private static final InputOptions GRAY28 =
      new InputOptions(28, 28, ColorMode.GRAY, 1 / 255.0, new double[] {0}, new double[] {1});

  @Test
  void defaultHoldOutIsFlaggedAsPossiblySeenByTheBackbone() throws IOException {
    Path data = TinyData.fashionLike(dir.resolve("d"), 500, 50, 1);
    Dataset d = DatasetLoader.load("fashion-mnist:" + data, GRAY28, 0.1, 1);
    CalibrationSource s = CalibrationSource.of(d, Optional.empty());
    assertEquals(CalibrationSource.Kind.HELD_OUT_OF_TRAIN, s.kind());
    assertTrue(s.mayOverlapBackboneTraining());
    assertTrue(s.summary().contains("--calibration-data"), s.summary());
    assertEquals(450, d.train().size());
  }

  @Test
  void separateCalibrationSetReplacesTheHoldOut() throws IOException {
    Optional<String> calSpec = calibrationSet(2);
    Dataset d = withCalibrationSet(500, 50, calSpec);
    assertEquals(500, d.train().size());
    assertEquals(120, d.valid().size());
    assertTrue(d.holdOuts().isEmpty());
    CalibrationSource s = CalibrationSource.of(d, calSpec);
    assertEquals(CalibrationSource.Kind.SEPARATE_SET, s.kind());
    assertFalse(s.mayOverlapBackboneTraining());
  }

  @Test
  void calibrationImagesThatAlsoTrainTheHeadsAreCountedAndWarnedAbout() throws IOException {
    // the same generator and seed: the calibration set repeats the first 120 training images
    Optional<String> calSpec = calibrationSet(1);
    Dataset d = withCalibrationSet(300, 30, calSpec);
    CalibrationSource s = CalibrationSource.of(d, calSpec);
    assertEquals(120, s.sharedWithTrain());
    assertTrue(s.mayOverlapBackboneTraining());
    assertTrue(s.summary().contains("WARNING: 120 calibration images also occur"), s.summary());
  }

  @Test
  void calibrationSetWithOtherClassesIsRefusedListingBoth() throws IOException {
    Path data = TinyData.fashionLike(dir.resolve("d"), 200, 20, 1);
    for (String c : new String[] {"cat", "dog"}) {
      Path f = dir.resolve("folder/train/" + c + "/0.png");
      Files.createDirectories(f.getParent());
      ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
    }
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () ->
                DatasetLoader.load(
                    "fashion-mnist:" + data,
                    Optional.of("imagefolder:" + dir.resolve("folder")),
                    GRAY28,
                    0.1,
                    1));
    assertTrue(e.getMessage().contains("classes [cat, dog] differ"), e.getMessage());
    assertTrue(e.getMessage().contains("expected the same classes"), e.getMessage());
  }

  @Test
  void digestIdentifiesContentAndLabels() {
    ImageSet a = new ImageSet(2, 1, 1, new byte[] {1, 2, 3, 4}, new int[] {0, 1});
    ImageSet same = new ImageSet(2, 1, 1, new byte[] {1, 2, 3, 4}, new int[] {0, 1});
    ImageSet relabelled = new ImageSet(2, 1, 1, new byte[] {1, 2, 3, 4}, new int[] {1, 1});
    ImageSet repixelled = new ImageSet(2, 1, 1, new byte[] {1, 2, 3, 5}, new int[] {0, 1});
    assertEquals(SplitDigest.sha256(a), SplitDigest.sha256(same));
    assertNotEquals(SplitDigest.sha256(a), SplitDigest.sha256(relabelled));
    assertNotEquals(SplitDigest.sha256(a), SplitDigest.sha256(repixelled));
    // sha256(01 02 03 04 | 00000000 00000001), computed independently with sha256sum
    assertEquals(
        "33dfc95e20264620771e6803282896c52a0e89036938ce976d9ec16ff1db4523", SplitDigest.sha256(a));
  }

  /** A separate calibration set of 120 images generated with {@code seed}; returns its SPEC. */
  private Optional<String> calibrationSet(long seed) throws IOException {
    return Optional.of("fashion-mnist:" + TinyData.fashionLike(dir.resolve("c"), 120, 10, seed));
  }

  /** A dataset of {@code train} and {@code test} images (seed 1) with that calibration set. */
  private Dataset withCalibrationSet(int train, int test, Optional<String> calSpec)
      throws IOException {
    Path data = TinyData.fashionLike(dir.resolve("d"), train, test, 1);
    return DatasetLoader.load("fashion-mnist:" + data, calSpec, GRAY28, 0.1, 1);
  }
}
