package dev.offramp.runtime.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The image files of a directory in file-name order, each decoded by FFmpeg (its image decoders:
 * PNG, JPEG, BMP, PNM, TIFF, WebP) into gray or BGR. Each file's header is read first ({@link
 * ImageHeader}); a file that is not an image, cannot be read, or declares more than {@code
 * max-pixels} is skipped with a {@link FrameSkippedException} before a decoder sees it, and the
 * next call goes on with the next file. The decoded pixels are copied into a buffer the source
 * reuses.
 */
final class ImageDirectorySource implements FrameSource {
  static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "pgm", "ppm", "pnm", "tif", "tiff", "webp");

  private final List<Path> files;
  private final boolean gray;
  private final long maxPixels;
  private int next;
  private ByteBuffer pixels = ByteBuffer.allocateDirect(0);
  private Picture image;

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
    this.gray = gray;
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
    image = decode(file, size);
    return true;
  }

  private Picture decode(Path file, ImageHeader.Size size) {
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
      grabber.setImageMode(gray ? FrameGrabber.ImageMode.GRAY : FrameGrabber.ImageMode.COLOR);
      grabber.setPixelFormat(gray ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_BGR24);
      grabber.setVideoOption("max_pixels", String.valueOf(maxPixels));
      grabber.start();
      Frame frame = grabber.grabImage();
      if (frame == null || frame.image == null || frame.imageDepth != Frame.DEPTH_UBYTE) {
        throw new FrameSkippedException(
            SkippedFrames.Reason.UNDECODABLE,
            file + ": FFmpeg found no 8-bit picture in it (" + size + " declared)");
      }
      int channels = gray ? 1 : 3;
      int row = frame.imageWidth * channels;
      int bytes = Math.multiplyExact(row, frame.imageHeight);
      if (pixels.capacity() < bytes) {
        pixels = ByteBuffer.allocateDirect(bytes);
      }
      ByteBuffer from = (ByteBuffer) frame.image[0];
      for (int y = 0; y < frame.imageHeight; y++) {
        pixels.put(y * row, from, y * frame.imageStride, row);
      }
      return new Picture(pixels, frame.imageWidth, frame.imageHeight, row, channels);
    } catch (FrameSkippedException e) {
      throw e;
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.UNDECODABLE,
          file + ": FFmpeg cannot decode it (truncated or corrupt " + size + " image)",
          e);
    }
  }

  @Override
  public Picture image() {
    return image;
  }

  @Override
  public void close() {
    image = null;
  }
}
