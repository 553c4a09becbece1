package dev.offramp.runtime.capture;

import dev.offramp.runtime.settings.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cameras of one daemon, from either {@code source:} (one camera, as before) or {@code
 * sources:} (a list, each entry a {@code source} section whose camera defaults to {@code cam<i>}).
 * Both present, an empty list and two entries with one camera name are refused with the key path.
 */
public final class CameraSources {
  private CameraSources() {}

  /**
   * Parses the sources at the top level of the configuration.
   *
   * @return at least one source; camera names unique
   * @throws dev.offramp.runtime.settings.ConfigException naming the key at fault
   */
  public static List<SourceSettings> parse(ConfigNode root) {
    boolean single = root.has("source");
    if (!root.has("sources")) {
      return List.of(SourceSettings.parse(root.section("source")));
    }
    if (single) {
      throw root.error(
          "source",
          "expected either source (one camera) or sources (a list), not both; move it into"
              + " sources",
          "both");
    }
    List<ConfigNode> entries = root.sections("sources");
    if (entries.isEmpty()) {
      throw root.error("sources", "expected at least one source", "an empty list");
    }
    List<SourceSettings> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      SourceSettings s = SourceSettings.parse(entries.get(i), "cam" + i);
      Integer first = seen.putIfAbsent(s.camera(), i);
      if (first != null) {
        throw entries
            .get(i)
            .error(
                "camera",
                "expected a camera name used once (it is the topic level of its results); sources["
                    + first
                    + "] has it already",
                "'" + s.camera() + "'");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
