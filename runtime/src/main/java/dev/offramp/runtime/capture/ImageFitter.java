package dev.offramp.runtime.capture;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts a captured {@link Picture} (any size; gray, BGR or BGRA) to the model's {@link
 * FrameFormat} with FFmpeg's swscale, the library that already decodes every source: one pass that
 * resizes (area averaging when shrinking, bilinear when enlarging) and converts the colour into a
 * reused native buffer, then into a caller-owned byte array. A picture already in the model's size
 * and layout is only copied, row by row. Not thread-safe: one per capture thread. Owns its scaler
 * and buffer; {@link #close()} frees them.
 */
public final class ImageFitter implements AutoCloseable {
  private final FrameFormat format;
  private final int target;
  private final int rowBytes;
  private final BytePointer out;
  private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(4);
  private final IntPointer outStrides = new IntPointer(4);
  private final PointerPointer<BytePointer> inPlanes = new PointerPointer<>(4);
  private final IntPointer inStrides = new IntPointer(4);
  private SwsContext scaler;
  private ByteBuffer inBuffer; // the picture buffer inPlanes points at

  public ImageFitter(FrameFormat format) {
    this.format = format;
    this.target =
        switch (format.color()) {
          case GRAY -> AV_PIX_FMT_GRAY8;
          case RGB -> AV_PIX_FMT_RGB24;
          case BGR -> AV_PIX_FMT_BGR24;
        };
    this.rowBytes = format.width() * format.color().channels();
    this.out = new BytePointer(format.bytes());
    outPlanes.put(0, out);
    outStrides.put(0, rowBytes);
  }

  /**
   * Writes {@code src} into {@code dst} in the target format.
   *
   * @throws IllegalStateException when {@code dst} is not one frame of the target format
   * @throws CaptureException when swscale cannot convert the picture
   */
  public void fit(Picture src, byte[] dst) {
    if (dst.length != format.bytes()) {
      throw new IllegalStateException(
          "frame buffer has "
              + dst.length
              + " bytes, expected "
              + format.bytes()
              + " for "
              + format);
    }
    int from = pixelFormat(src.channels());
    if (src.width() == format.width() && src.height() == format.height() && from == target) {
      for (int row = 0; row < format.height(); row++) {
        src.pixels().get(row * src.stride(), dst, row * rowBytes, rowBytes);
      }
      return;
    }
    boolean shrinking = src.width() >= format.width() && src.height() >= format.height();
    scaler =
        sws_getCachedContext(
            scaler,
            src.width(),
            src.height(),
            from,
            format.width(),
            format.height(),
            target,
            (shrinking ? SWS_AREA : SWS_BILINEAR) | SWS_ACCURATE_RND,
            null,
            null,
            (DoublePointer) null);
    if (scaler == null) {
      throw new CaptureException(
          "swscale cannot convert a "
              + src.width()
              + "×"
              + src.height()
              + " picture of "
              + src.channels()
              + " channels to "
              + format);
    }
    if (src.pixels() != inBuffer) {
      // Sources reuse their buffer frame after frame: wrap it once, not per frame.
      inBuffer = src.pixels();
      inPlanes.put(0, new BytePointer(inBuffer));
    }
    inStrides.put(0, src.stride());
    int rows = sws_scale(scaler, inPlanes, inStrides, 0, src.height(), outPlanes, outStrides);
    if (rows != format.height()) {
      throw new CaptureException(
          "swscale wrote " + rows + " rows, expected " + format.height() + " for " + format);
    }
    out.get(dst, 0, dst.length);
  }

  private static int pixelFormat(int channels) {
    return switch (channels) {
      case 1 -> AV_PIX_FMT_GRAY8;
      case 3 -> AV_PIX_FMT_BGR24;
      default -> AV_PIX_FMT_BGRA;
    };
  }

  @Override
  public void close() {
    if (scaler != null) {
      sws_freeContext(scaler);
      scaler = null;
    }
    out.close();
    outPlanes.close();
    outStrides.close();
    inPlanes.close();
    inStrides.close();
  }
}
