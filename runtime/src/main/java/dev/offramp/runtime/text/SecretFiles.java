package dev.offramp.runtime.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Secrets kept in files (a bearer token, a broker password): the file's first line. Stateless. */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * The first line of {@code file}, stripped of surrounding blanks when {@code strip}.
   *
   * @param key the setting that names the file, e.g. {@code http.token-file}
   * @param what what the line holds, e.g. {@code bearer token}
   * @throws IllegalArgumentException naming the setting and the file when the file cannot be read
   *     or its first line is empty
   */
  public static String firstLine(Path file, String key, String what, boolean strip) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          key
              + ": cannot read "
              + file
              + " ("
              + e
              + "); check the path and that the daemon user may read it",
          e);
    }
    String line = lines.isEmpty() ? "" : strip ? lines.get(0).strip() : lines.get(0);
    if (line.isEmpty()) {
      throw new IllegalArgumentException(
          key + " " + file + " is empty; put the " + what + " on its first line");
    }
    return line;
  }
}
