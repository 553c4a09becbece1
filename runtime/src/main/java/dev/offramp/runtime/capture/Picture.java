package dev.offramp.runtime.capture;

import java.nio.ByteBuffer;

/**
 * An 8-bit interleaved image as a source delivers it, before fitting to the model: gray (1
 * channel), BGR (3) or BGRA (4), rows {@code stride} bytes apart. The pixels are the source's (a
 * direct buffer it reuses): valid until its next {@link FrameSource#next()}.
 *
 * @param pixels the first row's first byte at position 0; a direct buffer
 * @param width pixels per row
 * @param height rows
 * @param stride bytes from one row to the next (≥ width × channels)
 * @param channels 1, 3 or 4
 */
record Picture(ByteBuffer pixels, int width, int height, int stride, int channels) {
  Picture {
    if (width <= 0 || height <= 0 || stride < (long) width * channels) {
      throw new CaptureException(
          "captured image is "
              + width
              + "×"
              + height
              + " with a row stride of "
              + stride
              + " bytes for "
              + channels
              + " channels; expected a positive size and a stride of at least width × channels");
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new CaptureException(
          "captured image has " + channels + " channels; expected 8-bit gray, BGR or BGRA");
    }
    if (!pixels.isDirect()
        || pixels.capacity() < (long) stride * (height - 1) + (long) width * channels) {
      throw new CaptureException(
          "captured image buffer holds "
              + pixels.capacity()
              + " bytes, expected a direct buffer of at least "
              + ((long) stride * (height - 1) + (long) width * channels)
              + " for "
              + width
              + "×"
              + height);
    }
  }
}
