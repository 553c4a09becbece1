package dev.offramp.runtime.capture;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Converts a captured image (any size; 1 channel gray, 3 channels BGR or 4 channels BGRA, 8 bits)
 * to the model's {@link FrameFormat}: resize first (INTER_AREA when shrinking, so the cheaper
 * colour conversion runs on the small image), then colour, into reused Mats and a caller-owned byte
 * array. Not thread-safe: one per capture thread. Owns its Mats; {@link #close()} frees them.
 */
public final class ImageFitter implements AutoCloseable {
  private final FrameFormat format;
  private final Size size;
  private final Mat resized = new Mat();
  private final Mat converted = new Mat();
  private final Mat contiguous = new Mat();

  public ImageFitter(FrameFormat format) {
    this.format = format;
    this.size = new Size(format.width(), format.height());
  }

  /**
   * Writes {@code src} into {@code dst} in the target format.
   *
   * @throws CaptureException when the image is not 8-bit with 1, 3 or 4 channels
   */
  public void fit(Mat src, byte[] dst) {
    if (src.depth() != CV_8U || src.channels() == 2 || src.channels() > 4) {
      throw new CaptureException(
          "captured image has depth "
              + src.depth()
              + " and "
              + src.channels()
              + " channels; expected 8-bit gray, BGR or BGRA");
    }
    Mat image = src;
    if (image.cols() != format.width() || image.rows() != format.height()) {
      boolean shrinking = image.cols() >= format.width() && image.rows() >= format.height();
      resize(image, resized, size, 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
      image = resized;
    }
    int code = colorCode(image.channels());
    if (code >= 0) {
      cvtColor(image, converted, code);
      image = converted;
    }
    if (!image.isContinuous()) {
      image.copyTo(contiguous);
      image = contiguous;
    }
    long bytes = image.total() * image.channels();
    if (bytes != dst.length) {
      throw new IllegalStateException(
          "converted frame has " + bytes + " bytes, expected " + dst.length + " for " + format);
    }
    try (BytePointer data = image.data()) {
      data.get(dst, 0, dst.length);
    }
  }

  private int colorCode(int channels) {
    return switch (format.color()) {
      case GRAY -> channels == 3 ? COLOR_BGR2GRAY : channels == 4 ? COLOR_BGRA2GRAY : -1;
      case RGB -> channels == 1 ? COLOR_GRAY2RGB : channels == 3 ? COLOR_BGR2RGB : COLOR_BGRA2RGB;
      case BGR -> channels == 1 ? COLOR_GRAY2BGR : channels == 3 ? -1 : COLOR_BGRA2BGR;
    };
  }

  @Override
  public void close() {
    resized.close();
    converted.close();
    contiguous.close();
    size.close();
  }
}
