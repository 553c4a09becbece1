package dev.offramp.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Hostile image files made at test time: empty files, text under an image name, and real PNG
 * decompression bombs (a valid 1-bit PNG of all-zero rows: a 32000×32000 one is about 124 KB on
 * disk and 1 GB decoded).
 */
public final class BadImages {
  private BadImages() {}

  /** A zero-byte file. */
  public static Path empty(Path file) throws IOException {
    return Files.write(file, new byte[0]);
  }

  /** A text file (under whatever image name it is given). */
  public static Path text(Path file) throws IOException {
    return Files.writeString(file, "this is not a JPEG, just text\n", StandardCharsets.UTF_8);
  }

  /**
   * A complete, valid PNG of {@code width × height} 1-bit gray pixels, all zero. Written row by row
   * through a deflater, so it costs no memory however large it declares itself.
   */
  public static Path bombPng(Path file, int width, int height) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
      byte[] row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zero pixels
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } finally {
      deflater.end();
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      writePng(out, width, height, idat.toByteArray());
    }
    return file;
  }

  /** A PNG whose header declares {@code width × height} but whose pixel data is cut short. */
  public static Path truncatedPng(Path file, int width, int height) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      writePng(out, width, height, new byte[] {0x78, (byte) 0x9c, 0x63});
    }
    return file;
  }

  private static void writePng(OutputStream out, int width, int height, byte[] idat)
      throws IOException {
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(width);
    d.writeInt(height);
    d.writeByte(1); // bit depth
    d.writeByte(0); // gray
    d.writeByte(0); // deflate
    d.writeByte(0); // adaptive filtering
    d.writeByte(0); // no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
    d.flush();
  }

  /** Converts a gray image to another format with the ffmpeg command line (by extension). */
  public static Path convert(Path file, byte[] gray, int w, int h) throws IOException {
    Path pgm = Media.writePgm(file.resolveSibling(file.getFileName() + ".src.pgm"), gray, w, h);
    Media.run(
        List.of(
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-i",
            pgm.toString(),
            "-frames:v",
            "1",
            file.toString()));
    Files.delete(pgm);
    return file;
  }
}
