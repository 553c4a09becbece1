package dev.offramp.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarks' one JSON writer and reader: records (snake_case keys, in component order), maps
 * and lists, indented. Writes go to a temporary file first and are moved into place, so a killed
 * run never leaves half a file that a resume would take for a finished one.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** Serialises {@code value} (records, maps, lists, numbers, strings, null), newline-ended. */
  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a result to JSON: " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} to {@code file} atomically (temporary file, then move). */
  public static void write(Path file, Object value) {
    writeString(file, text(value));
  }

  /** Writes text atomically (temporary file, then move). */
  public static void writeString(Path file, String text) {
    try {
      Path dir = parentOf(file);
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".partial-", ".tmp");
      Files.writeString(tmp, text);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code value} as a JSON tree, read back from its text so it compares equal to what a file holds
   * (numbers parse to the same node types: a {@code long} 1 reads back as an int node).
   */
  public static JsonNode tree(Object value) {
    try {
      return MAPPER.readTree(text(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot re-read serialised JSON: " + e.getMessage(), e);
    }
  }

  /** The directory holding {@code file} (the file system root for a root-level name). */
  public static Path parentOf(Path file) {
    Path abs = file.toAbsolutePath();
    Path parent = abs.getParent();
    return parent != null ? parent : abs.getRoot();
  }

  /** Reads a JSON file. */
  public static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + " as JSON (" + e.getMessage() + "); delete it to recompute", e);
    }
  }
}
