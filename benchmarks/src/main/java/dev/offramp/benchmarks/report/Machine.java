package dev.offramp.benchmarks.report;

import dev.offramp.cascade.exec.OrtRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a result was measured on: cores, CPU model, JDK, ONNX Runtime version, date, load. */
public final class Machine {
  private Machine() {}

  /** A snake_case map for JSON; {@code load_average} is the 1-minute load when read. */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", cpuModel());
    m.put("jdk", System.getProperty("java.vm.vendor", "?") + " " + Runtime.version().toString());
    m.put("onnxruntime", OrtRuntime.environment().getVersion());
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put("load_average_1m", loadAverage());
    return m;
  }

  /** The first {@code model name} of /proc/cpuinfo, or {@code unknown}. */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }

  /** The 1-minute load average from /proc/loadavg, or -1 when unreadable. */
  public static double loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
      return Double.parseDouble(s.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
