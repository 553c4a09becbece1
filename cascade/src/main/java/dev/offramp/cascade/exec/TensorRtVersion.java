package dev.offramp.cascade.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the installed TensorRT version from the name of its library ({@code libnvinfer.so.10.3.0}),
 * so TensorRT engine caches are keyed by it: an engine built by one TensorRT version does not load
 * in another.
 */
final class TensorRtVersion {
  private static final Pattern LIB = Pattern.compile("libnvinfer\\.so\\.(\\d+(?:\\.\\d+)*)");
  private static final List<String> DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/local/cuda/lib64",
          "/usr/local/cuda/targets/aarch64-linux/lib",
          "/usr/local/tensorrt/lib",
          "/usr/lib64");

  private TensorRtVersion() {}

  /** The longest version found in LD_LIBRARY_PATH or the usual directories, or "unknown". */
  static String detect() {
    List<String> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      dirs.addAll(List.of(ld.split(File.pathSeparator)));
    }
    dirs.addAll(DIRS);
    for (String d : dirs) {
      String v = inDir(d.isBlank() ? null : Path.of(d));
      if (v != null) {
        return v;
      }
    }
    return "unknown";
  }

  static String inDir(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    String best = null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "libnvinfer.so.*")) {
      for (Path f : files) {
        Matcher m = LIB.matcher(String.valueOf(f.getFileName()));
        if (m.matches() && (best == null || m.group(1).length() > best.length())) {
          best = m.group(1);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }
}
