package dev.offramp.runtime.mqtt;

import dev.offramp.runtime.text.SafeText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * The layout of {@code mqtt.buffer-dir}: which names belong to the store, what to do with the rest,
 * and the ledger a clean stop leaves so that a store file deleted while stopped is counted.
 */
final class BufferDirectory {
  private static final System.Logger LOG = System.getLogger(BufferDirectory.class.getName());
  private static final Pattern OURS =
      Pattern.compile(
          "results\\.db(-wal|-shm|-journal)?|results\\.db\\.(damaged|not-a-store)-\\d+.*"
              + "|ledger(\\.tmp)?|cursor(\\.tmp)?|seg-\\d{12}\\.log");

  private BufferDirectory() {}

  /**
   * Moves a directory (or other non-file) that sits where the store file should be out of the way,
   * and warns once about each entry that is not the store's. Nothing is deleted.
   */
  static void tidy(Path dir) throws IOException {
    for (String name :
        new String[] {ResultStore.FILE, ResultStore.FILE + "-wal", ResultStore.FILE + "-shm"}) {
      Path p = dir.resolve(name);
      if (Files.exists(p) && !Files.isRegularFile(p)) {
        Path aside = dir.resolve(ResultStore.FILE + ".not-a-store-" + System.nanoTime());
        Files.move(p, aside);
        LOG.log(
            Level.WARNING,
            "mqtt buffer: {0} is not a regular file; moved it to {1} and started a fresh store",
            p,
            aside);
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = String.valueOf(p.getFileName());
        if (!OURS.matcher(name).matches()) {
          LOG.log(
              Level.WARNING,
              "mqtt buffer: {0} is not part of the store; skipped (remove it if it is not needed)",
              p);
        }
      }
    }
  }

  /**
   * Reads and removes the ledger. Returns the results the last clean stop left in the store when
   * the store file is now missing (deleted while stopped), else 0.
   */
  static long lostWhileStopped(Path dir) {
    Path ledger = dir.resolve(ResultStore.LEDGER);
    if (!Files.isRegularFile(ledger)) {
      return 0;
    }
    long pending = 0;
    try {
      String text = Files.readString(ledger, StandardCharsets.US_ASCII).strip();
      if (!text.startsWith("pending ")) {
        throw new IOException("expected 'pending <n>'; found '" + abbreviate(text) + "'");
      }
      pending = Long.parseLong(text.substring("pending ".length()).strip());
    } catch (IOException | NumberFormatException e) {
      LOG.log(
          Level.WARNING,
          "mqtt buffer: ledger {0} unreadable ({1}); ignored (it only matters if the store file"
              + " was deleted while stopped)",
          ledger,
          e.getMessage());
    }
    try {
      Files.deleteIfExists(ledger);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "mqtt buffer: cannot remove ledger {0}: {1}", ledger, e.toString());
    }
    return Files.exists(dir.resolve(ResultStore.FILE)) ? 0 : Math.max(0, pending);
  }

  /** Records, at a clean stop, how many results the store keeps for the next start. */
  static void writeLedger(Path dir, long pending) throws IOException {
    Path tmp = dir.resolve(ResultStore.LEDGER + ".tmp");
    Files.writeString(tmp, "pending " + pending + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(
          tmp,
          dir.resolve(ResultStore.LEDGER),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(ResultStore.LEDGER), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The start-up error for a buffer directory or store that cannot be used. */
  static java.io.UncheckedIOException unusable(Path dir, Exception e) {
    return new java.io.UncheckedIOException(
        "mqtt.buffer-dir: cannot use "
            + dir
            + " ("
            + e.getMessage()
            + "); set mqtt.buffer-dir to a writable directory on a local disk",
        e instanceof IOException io ? io : new IOException(e));
  }

  private static String abbreviate(String s) {
    return SafeText.of(s, 80);
  }
}
