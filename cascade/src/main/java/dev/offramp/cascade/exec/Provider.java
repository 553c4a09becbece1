package dev.offramp.cascade.exec;

import dev.offramp.cascade.text.EnumNames;
import java.util.ArrayList;
import java.util.List;

/** Execution providers offramp knows how to ask ONNX Runtime for, by config name. */
public enum Provider {
  TENSORRT("tensorrt"),
  CUDA("cuda"),
  CPU("cpu");

  private final String configName;

  Provider(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Parses one name; the error lists the allowed ones. */
  public static Provider parse(String name) {
    return EnumNames.parse(
        Provider.class,
        name,
        Provider::configName,
        msg -> new IllegalArgumentException("execution provider: " + msg));
  }

  /** Parses an ordered, comma-separated preference list such as {@code tensorrt,cuda,cpu}. */
  public static List<Provider> parseList(String csv) {
    List<Provider> out = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        Provider p = parse(part);
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "Empty execution provider list; expected e.g. 'cpu' or 'tensorrt,cuda,cpu'");
    }
    return List.copyOf(out);
  }
}
