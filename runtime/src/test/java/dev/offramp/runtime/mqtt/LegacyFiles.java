package dev.offramp.runtime.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/** Writes the buffer format of the previous release (segments and cursor), for migration tests. */
final class LegacyFiles {
  private LegacyFiles() {}

  /** {@code seg-<index>.log} with one {@code [length][crc][payload]} record per payload. */
  static Path segment(Path dir, long index, List<byte[]> payloads) throws IOException {
    Files.createDirectories(dir);
    int size = payloads.stream().mapToInt(p -> p.length + 8).sum();
    ByteBuffer b = ByteBuffer.allocate(size);
    CRC32 crc = new CRC32();
    for (byte[] p : payloads) {
      crc.reset();
      crc.update(p);
      b.putInt(p.length).putInt((int) crc.getValue()).put(p);
    }
    Path f = dir.resolve(String.format("seg-%012d.log", index));
    Files.write(f, b.array());
    return f;
  }

  /** Byte offset of record {@code i} (0-based) in a segment of these payloads. */
  static long offsetOf(List<byte[]> payloads, int i) {
    long off = 0;
    for (int k = 0; k < i; k++) {
      off += payloads.get(k).length + 8;
    }
    return off;
  }
}
