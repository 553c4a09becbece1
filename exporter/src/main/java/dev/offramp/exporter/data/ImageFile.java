package dev.offramp.exporter.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes one image file with FFmpeg — the decoder the runtime's capture uses on the board — into
 * gray or RGB levels, so that training and calibration see the pixels serving will see. (ImageIO
 * differs: its JPEG decoder upsamples chroma and converts colour otherwise, by several levels on
 * average, and {@code getRGB} passes gray images through a colour-space curve.) Stateless.
 */
final class ImageFile {
  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // no stream dump per file
  }

  private ImageFile() {}

  /**
   * Decoded pixels, interleaved.
   *
   * @param pixels {@code width * height * channels} bytes
   * @param channels 1 (gray) or 3 (RGB)
   */
  record Decoded(byte[] pixels, int width, int height, int channels) {}

  /**
   * Reads {@code f} as gray (the luma FFmpeg decodes or converts to, as the board does for a gray
   * model) or as RGB.
   *
   * @throws DatasetException when FFmpeg cannot open or decode it
   */
  static Decoded decode(Path f, boolean gray) {
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(f.toFile())) {
      grabber.setImageMode(gray ? FrameGrabber.ImageMode.GRAY : FrameGrabber.ImageMode.COLOR);
      grabber.setPixelFormat(gray ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_RGB24);
      grabber.start();
      Frame frame = grabber.grabImage();
      if (frame == null || frame.image == null || frame.imageDepth != Frame.DEPTH_UBYTE) {
        throw new DatasetException(
            "cannot decode image "
                + f
                + ": FFmpeg found no 8-bit picture in it; save it as an 8-bit PNG or JPEG, or"
                + " remove it from the dataset");
      }
      int channels = gray ? 1 : 3;
      int row = frame.imageWidth * channels;
      byte[] pixels = new byte[Math.multiplyExact(row, frame.imageHeight)];
      ByteBuffer from = (ByteBuffer) frame.image[0];
      for (int y = 0; y < frame.imageHeight; y++) {
        from.get(y * frame.imageStride, pixels, y * row, row);
      }
      return new Decoded(pixels, frame.imageWidth, frame.imageHeight, channels);
    } catch (DatasetException e) {
      throw e;
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new DatasetException(
          "cannot decode image "
              + f
              + ": "
              + e.getMessage()
              + " (expected a PNG or JPEG file; replace or remove it)",
          e);
    }
  }
}
