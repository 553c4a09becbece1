package dev.offramp.runtime.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The daemon as a child JVM, started with the test's class path, so it can be signalled. */
public final class DaemonProcess {
  private DaemonProcess() {}

  /** Surefire runs tests from a manifest-only jar; its real class path is in a property. */
  static String classPath() {
    String full = System.getProperty("surefire.test.class.path");
    return full != null && !full.isBlank() ? full : System.getProperty("java.class.path");
  }

  public static Process start(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("dev.offramp.runtime.cli.RuntimeMain");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
