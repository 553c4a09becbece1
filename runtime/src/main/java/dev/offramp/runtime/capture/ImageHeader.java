package dev.offramp.runtime.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image file's width and height from its header, without decoding a pixel, so that a
 * decompression bomb (a 124 KB PNG declaring 32000×32000) is refused before a decoder allocates for
 * it. PNG, JPEG, BMP and TIFF through {@code javax.imageio} readers (header only); PNM and WebP by
 * their few header bytes. Stateless.
 */
final class ImageHeader {
  /** Bytes enough for every header parsed here (a PNM header with a few comment lines). */
  private static final int HEAD_BYTES = 4096;

  static {
    ImageIO.setUseCache(false); // header reads need no temporary files
  }

  private ImageHeader() {}

  /** Width and height in pixels, both positive. */
  record Size(long width, long height) {
    long pixels() {
      return width * height;
    }

    @Override
    public String toString() {
      return width + "×" + height;
    }
  }

  /**
   * The declared size of {@code file}.
   *
   * @throws FrameSkippedException UNDECODABLE when no header can be read (empty file, text, an
   *     unknown or truncated format), UNREADABLE when the file cannot be read
   */
  static Size read(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD_BYTES);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.UNREADABLE,
          file + ": cannot read (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (IOException e) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.UNREADABLE, file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (head.length == 0) {
      throw undecodable(file, "the file is empty");
    }
    Size size;
    if (head.length >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6') {
      size = pnm(file, head);
    } else if (head.length >= 12
        && ascii(head, 0, 4).equals("RIFF")
        && ascii(head, 8, 4).equals("WEBP")) {
      size = webp(file, head);
    } else {
      size = imageIo(file);
    }
    if (size.width() < 1 || size.height() < 1) {
      throw undecodable(file, "the header declares " + size);
    }
    return size;
  }

  private static FrameSkippedException undecodable(Path file, String why) {
    return new FrameSkippedException(
        SkippedFrames.Reason.UNDECODABLE,
        file + ": not a readable image (" + why + "); expected PNG, JPEG, BMP, TIFF, PNM or WebP");
  }

  private static Size imageIo(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw undecodable(file, "cannot open it as an image stream");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw undecodable(file, "no known image format");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new Size(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FrameSkippedException skipped) {
        throw skipped;
      }
      throw undecodable(file, "header unreadable: " + e.getMessage());
    }
  }

  /** Netpbm: magic, then width, height as decimal text separated by whitespace or comments. */
  private static Size pnm(Path file, byte[] h) {
    long[] dims = new long[2];
    int i = 2;
    for (int d = 0; d < 2; d++) {
      while (i < h.length && (Character.isWhitespace(h[i]) || h[i] == '#')) {
        if (h[i] == '#') {
          while (i < h.length && h[i] != '\n') {
            i++;
          }
        } else {
          i++;
        }
      }
      int start = i;
      long v = 0;
      while (i < h.length && h[i] >= '0' && h[i] <= '9' && i - start < 12) {
        v = v * 10 + (h[i] - '0');
        i++;
      }
      if (i == start) {
        throw undecodable(file, "PNM header without a width and height");
      }
      dims[d] = v;
    }
    return new Size(dims[0], dims[1]);
  }

  /** WebP: the first chunk after the RIFF header is VP8 (lossy), VP8L (lossless) or VP8X. */
  private static Size webp(Path file, byte[] h) {
    if (h.length < 30) {
      throw undecodable(file, "WebP header truncated");
    }
    String chunk = ascii(h, 12, 4);
    return switch (chunk) {
      case "VP8 " -> new Size(u16(h, 26) & 0x3fff, u16(h, 28) & 0x3fff);
      case "VP8L" -> {
        int b1 = h[22] & 0xff;
        int b2 = h[23] & 0xff;
        int b3 = h[24] & 0xff;
        long w = 1 + ((h[21] & 0xff) | ((b1 & 0x3f) << 8));
        long hh = 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10));
        yield new Size(w, hh);
      }
      case "VP8X" -> new Size(1 + u24(h, 24), 1 + u24(h, 27));
      default -> throw undecodable(file, "unknown WebP chunk '" + chunk.strip() + "'");
    };
  }

  private static String ascii(byte[] h, int at, int n) {
    return new String(h, at, n, StandardCharsets.ISO_8859_1);
  }

  private static int u16(byte[] h, int at) {
    return (h[at] & 0xff) | (h[at + 1] & 0xff) << 8;
  }

  private static long u24(byte[] h, int at) {
    return (h[at] & 0xff) | (h[at + 1] & 0xff) << 8 | (long) (h[at + 2] & 0xff) << 16;
  }
}
