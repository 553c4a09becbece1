package dev.offramp.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test media made at test time with the ffmpeg command line: frames, videos, decoded pixels. */
public final class Media {
  private Media() {}

  /** {@code n} distinct gray images of {@code w×h}: smooth gradients with a moving bright block. */
  public static List<byte[]> grayImages(int n, int w, int h) {
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = (x * (3 + i % 5) + y * (2 + (i * 7) % 9) + i * 29) % 200;
          boolean block = Math.abs(x - (i * 5) % w) < w / 4 && Math.abs(y - (i * 3) % h) < h / 4;
          px[y * w + x] = (byte) (block ? 250 : v);
        }
      }
      images.add(px);
    }
    return images;
  }

  /** Writes a binary PGM. */
  public static Path writePgm(Path file, byte[] px, int w, int h) throws IOException {
    byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + px.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(px, 0, all, header.length, px.length);
    return Files.write(file, all);
  }

  /** An H.264 mp4 of the frames, one image per frame. */
  public static Path mp4(Path dir, List<byte[]> frames, int w, int h, int fps) throws IOException {
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < frames.size(); i++) {
      writePgm(images.resolve(String.format("f%04d.pgm", i)), frames.get(i), w, h);
    }
    Path out = dir.resolve("frames.mp4");
    run(
        List.of(
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-framerate",
            String.valueOf(fps),
            "-i",
            images.resolve("f%04d.pgm").toString(),
            "-c:v",
            "libx264",
            "-crf",
            "12",
            "-pix_fmt",
            "yuv420p",
            out.toString()));
    return out;
  }

  /** Every frame of a video decoded to 8-bit gray by the ffmpeg command line. */
  public static List<byte[]> decodeGray(Path video, int w, int h) throws IOException {
    byte[] all =
        run(
            List.of(
                "ffmpeg",
                "-loglevel",
                "error",
                "-i",
                video.toString(),
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-s",
                w + "x" + h,
                "-"));
    List<byte[]> frames = new ArrayList<>();
    for (int off = 0; off + w * h <= all.length; off += w * h) {
      byte[] f = new byte[w * h];
      System.arraycopy(all, off, f, 0, f.length);
      frames.add(f);
    }
    return frames;
  }

  /** Runs a command to completion (60 s at most) and returns its standard output. */
  public static byte[] run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(command + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out.toByteArray();
  }

  /** A free TCP port on loopback. */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** An MP4 of {@code n} gray 28×28 test images at 10 frames/s: the test bundles' input. */
  public static Path grayMp4(Path dir, int n) throws IOException {
    return mp4(dir, grayImages(n, 28, 28), 28, 28, 10);
  }

  /**
   * Serves an endless FFmpeg test pattern as MJPEG over HTTP at {@code url} (FFmpeg listens there
   * for one client, 20 frames/s). The caller destroys the process.
   *
   * @param size the side of the square frames, in pixels
   */
  public static Process serveMjpeg(String url, int size) throws IOException {
    return new ProcessBuilder(
            "ffmpeg",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=" + size + "x" + size + ":rate=20",
            "-f",
            "mpjpeg",
            "-listen",
            "1",
            url)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
