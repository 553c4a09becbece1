package dev.offramp.runtime.capture;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The image files of a directory in file-name order, decoded with OpenCV. Each file's header is
 * read first ({@link ImageHeader}); a file that is not an image, cannot be read, or declares more
 * than {@code max-pixels} is skipped with a {@link FrameSkippedException} before OpenCV sees it,
 * and the next call goes on with the next file.
 */
final class ImageDirectorySource implements FrameSource {
  static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "pgm", "ppm", "pnm", "tif", "tiff", "webp");

  private final List<Path> files;
  private final int flags;
  private final long maxPixels;
  private int next;
  private Mat image = new Mat();

  ImageDirectorySource(Path dir, boolean gray, long maxPixels) {
    this.maxPixels = maxPixels;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(ImageDirectorySource::isImage).sorted().toList();
    } catch (IOException e) {
      throw new CaptureException("cannot list image directory " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new CaptureException(
          "image directory "
              + dir
              + " has no images ("
              + String.join(", ", EXTENSIONS.stream().sorted().toList())
              + ")");
    }
    this.flags = gray ? IMREAD_GRAYSCALE : IMREAD_COLOR;
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1)) && Files.isRegularFile(file);
  }

  @Override
  public boolean next() {
    if (next >= files.size()) {
      return false;
    }
    Path file = files.get(next++);
    ImageHeader.Size size = ImageHeader.read(file);
    if (size.pixels() > maxPixels) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.TOO_LARGE,
          file
              + ": header declares "
              + size
              + " = "
              + size.pixels()
              + " pixels, over source.max-pixels ("
              + maxPixels
              + "); skipped without decoding. Shrink the image or raise source.max-pixels");
    }
    image.close();
    image = imread(file.toString(), flags);
    if (image.empty()) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.UNDECODABLE,
          file + ": OpenCV cannot decode it (truncated or corrupt " + size + " image)");
    }
    return true;
  }

  @Override
  public Mat image() {
    return image;
  }

  @Override
  public void close() {
    image.close();
  }
}
