import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build-time helper of {@code deploy/build-image.sh}, run as a single-file source program with the
 * JDK that builds the image ({@code java ImageJars.java COMMAND ...}), so that building an image
 * needs nothing but a JDK: no zip, unzip or Python on the build host or the board.
 *
 * <ul>
 *   <li>{@code classes-only OUT_DIR JAR...}: copies of the jars with only their class files and
 *       manifest, without {@code module-info.class}. jdeps then treats every jar as plain class
 *       path: several dependencies (javacv, the Helidon modules) declare {@code requires} on
 *       modules that are not shipped (JavaFX, the camera SDKs the runtime excludes), and jdeps
 *       refuses a modular jar whose requirements are missing even with
 *       {@code --ignore-missing-deps}.
 *   <li>{@code onnxruntime IN_JAR OUT_JAR NATIVE_DIR PLATFORM}: the ONNX Runtime jar without its
 *       native libraries (it carries linux-x64, linux-aarch64, osx-aarch64 and win-x64, about 50
 *       MB), and that platform's libraries written to NATIVE_DIR, from where the image loads them
 *       with {@code -Donnxruntime.native.path}. Platform {@code none} only strips (the natives then
 *       come from a directory, e.g. a GPU build's).
 *   <li>{@code drop IN_JAR OUT_JAR REGEX}: a copy of the jar without the entries whose whole name
 *       matches REGEX (the board image drops FFmpeg's command-line programs, which the runtime
 *       never runs, and sqlite-jdbc's libraries for other platforms).
 * </ul>
 *
 * <p>Errors name the jar and what was expected, and exit with status 2.
 */
public final class ImageJars {
  private static final String ORT_NATIVE = "ai/onnxruntime/native/";

  private ImageJars() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 2 && args[0].equals("classes-only")) {
      Path out = Path.of(args[1]);
      Files.createDirectories(out);
      for (int i = 2; i < args.length; i++) {
        classesOnly(Path.of(args[i]), out);
      }
    } else if (args.length == 4 && args[0].equals("drop")) {
      drop(Path.of(args[1]), Path.of(args[2]), java.util.regex.Pattern.compile(args[3]));
    } else if (args.length == 5 && args[0].equals("onnxruntime")) {
      onnxruntime(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args[4]);
    } else {
      fail(
          "usage: ImageJars classes-only OUT_DIR JAR... | "
              + "onnxruntime IN_JAR OUT_JAR NATIVE_DIR linux-x64|linux-aarch64|none | "
              + "drop IN_JAR OUT_JAR REGEX");
    }
  }

  private static void classesOnly(Path jar, Path outDir) throws IOException {
    Path target = outDir.resolve(jar.getFileName());
    int classes = 0;
    try (JarFile in = new JarFile(jar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest(in))) {
      for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
          out.putNextEntry(new JarEntry(name));
          try (InputStream data = in.getInputStream(e)) {
            data.transferTo(out);
          }
          out.closeEntry();
          classes++;
        }
      }
    }
    if (classes == 0) {
      Files.delete(target); // a natives-only jar: nothing for jdeps to read
    }
  }

  private static void onnxruntime(Path inJar, Path outJar, Path nativeDir, String platform)
      throws IOException {
    boolean none = platform.equals("none");
    if (!none && !platform.equals("linux-x64") && !platform.equals("linux-aarch64")) {
      fail(
          "onnxruntime: expected platform linux-x64, linux-aarch64 or none, found '"
              + platform
              + "'");
    }
    String keep = ORT_NATIVE + platform + "/";
    Files.createDirectories(nativeDir);
    int natives = 0;
    try (JarFile in = new JarFile(inJar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(outJar), manifest(in))) {
      for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
        String name = e.getName();
        if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
          continue; // written by the JarOutputStream constructor
        }
        try (InputStream data = in.getInputStream(e)) {
          if (!name.startsWith(ORT_NATIVE)) {
            JarEntry copy = new JarEntry(name);
            copy.setTime(e.getTime());
            out.putNextEntry(copy);
            data.transferTo(out);
            out.closeEntry();
          } else if (!none
              && name.startsWith(keep)
              && !e.isDirectory()
              && name.indexOf('/', keep.length()) < 0) {
            write(data, nativeDir.resolve(name.substring(keep.length())));
            natives++;
          }
        }
      }
    }
    if (natives == 0 && !none) {
      fail(inJar + ": expected native libraries under " + keep + ", found none");
    }
  }

  private static void drop(Path inJar, Path outJar, java.util.regex.Pattern drop)
      throws IOException {
    int dropped = 0;
    try (JarFile in = new JarFile(inJar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(outJar), manifest(in))) {
      for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
        String name = e.getName();
        if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
          continue;
        }
        if (drop.matcher(name).matches()) {
          dropped++;
          continue;
        }
        JarEntry copy = new JarEntry(name);
        copy.setTime(e.getTime());
        out.putNextEntry(copy);
        try (InputStream data = in.getInputStream(e)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
    if (dropped == 0) {
      fail(inJar + ": expected entries matching " + drop + " to drop, found none");
    }
  }

  private static Manifest manifest(JarFile jar) throws IOException {
    Manifest m = jar.getManifest();
    return m == null ? new Manifest() : m;
  }

  private static void write(InputStream in, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      in.transferTo(out);
    }
  }

  private static void fail(String message) {
    System.err.println("ImageJars: " + message);
    System.exit(2);
  }
}
