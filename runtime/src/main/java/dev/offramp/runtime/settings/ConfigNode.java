package dev.offramp.runtime.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.cascade.text.EnumNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A typed, validating view of one section of the configuration tree (a YAML mapping). Each getter
 * records the key it read; {@link #finish()} rejects every key no getter asked for, so an unknown
 * or misspelt key stops start-up. Errors read {@code SOURCE: section.key: expected …, found …},
 * where SOURCE is the file name, or the command-line flag that set the value.
 *
 * <p>Not thread-safe; used once, at start-up, by the component parsers.
 */
public final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
  private final String source;
  private final String path;
  private final ObjectNode node;
  private final Map<String, String> flags;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<ConfigNode> children = new ArrayList<>();

  /**
   * @param source where the tree came from (a file name, or {@code command line})
   * @param node the root mapping
   * @param flags dotted key to the command-line flag that set it, for error messages
   */
  public ConfigNode(String source, ObjectNode node, Map<String, String> flags) {
    this(source, "", node, Map.copyOf(flags));
  }

  private ConfigNode(String source, String path, ObjectNode node, Map<String, String> flags) {
    this.source = source;
    this.path = path;
    this.node = node;
    this.flags = flags;
  }

  /** An empty root, for components parsed without a file. */
  public static ConfigNode empty() {
    return new ConfigNode("defaults", JsonNodeFactory.instance.objectNode(), Map.of());
  }

  /** The dotted key of {@code key} in this section, e.g. {@code mqtt.qos}. */
  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A nested mapping; an absent one is empty (all defaults). */
  public ConfigNode section(String key) {
    JsonNode value = value(key);
    ObjectNode child;
    if (value == null) {
      child = JsonNodeFactory.instance.objectNode();
    } else if (value instanceof ObjectNode object) {
      child = object;
    } else {
      throw error(key, "expected a mapping of keys", describe(value));
    }
    ConfigNode section = new ConfigNode(source, key(key), child, flags);
    children.add(section);
    return section;
  }

  /**
   * A list of mappings, each a section named {@code key[i]} (0-based) in errors; an absent key is
   * an empty list.
   */
  public List<ConfigNode> sections(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key, "expected a list of mappings", describe(value));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String name = key + "[" + i + "]";
      if (!(value.get(i) instanceof ObjectNode item)) {
        throw error(name, "expected a mapping of keys", describe(value.get(i)));
      }
      ConfigNode section = new ConfigNode(source, key(name), item, flags);
      children.add(section);
      out.add(section);
    }
    return List.copyOf(out);
  }

  /** Whether the key is present (and not null). */
  public boolean has(String key) {
    read.add(key);
    return value(key) != null;
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public Optional<String> optionalString(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isValueNode() || value.isBoolean()) {
      throw error(key, "expected a string", describe(value));
    }
    String text = value.asText();
    if (text.isBlank()) {
      throw error(key, "expected a non-empty string", "an empty string");
    }
    return Optional.of(text);
  }

  public boolean bool(String key, boolean defaultValue) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw error(key, "expected true or false", describe(value));
    }
    return value.booleanValue();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw error(key, "expected an integer from " + min + " to " + max, describe(value));
    }
    int n = value.intValue();
    if (n < min || n > max) {
      throw error(key, "expected an integer from " + min + " to " + max, String.valueOf(n));
    }
    return n;
  }

  /**
   * An integer from {@code min} to {@code max} whose error says {@code expected} (e.g. {@code
   * expected a positive integer}) instead of the numeric range.
   */
  public int integer(String key, int defaultValue, int min, int max, String expected) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw error(key, expected, describe(value));
    }
    int n = value.intValue();
    if (n < min || n > max) {
      throw error(key, expected, String.valueOf(n));
    }
    return n;
  }

  /** An integer from a fixed set, e.g. QoS: {@code expected 0, 1 or 2, found 5}. */
  public int oneOf(String key, int defaultValue, int... allowed) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    String expected =
        "expected "
            + orList(Arrays.stream(allowed).mapToObj(String::valueOf).collect(Collectors.toList()));
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw error(key, expected, describe(value));
    }
    int n = value.intValue();
    if (Arrays.stream(allowed).noneMatch(a -> a == n)) {
      throw error(key, expected, String.valueOf(n));
    }
    return n;
  }

  public double number(String key, double defaultValue, double min, double max) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isNumber()) {
      throw error(key, "expected a number from " + min + " to " + max, describe(value));
    }
    double d = value.doubleValue();
    if (!(d >= min && d <= max)) {
      throw error(key, "expected a number from " + min + " to " + max, String.valueOf(d));
    }
    return d;
  }

  /**
   * An enum value written in kebab-case (lower case, {@code _} as {@code -}), read through {@link
   * EnumNames}; the error lists the allowed names: {@code expected a, b or c, found 'x'}.
   */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    String expected =
        "expected "
            + orList(
                Arrays.stream(type.getEnumConstants())
                    .map(EnumNames::lowerName)
                    .collect(Collectors.toList()));
    if (!value.isTextual()) {
      throw error(key, expected, describe(value));
    }
    return EnumNames.parse(
        type, value.asText(), miss -> error(key, expected, "'" + value.asText() + "'"));
  }

  /** A list of strings, written either as a YAML sequence or as one comma-separated string. */
  public List<String> stringList(String key, List<String> defaultValue) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    if (value.isTextual()) {
      for (String part : value.asText().split(",", -1)) {
        out.add(part.trim());
      }
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isValueNode() || item.isNull()) {
          throw error(key, "expected a list of strings", "an item " + describe(item));
        }
        out.add(item.asText().trim());
      }
    } else {
      throw error(key, "expected a list of strings", describe(value));
    }
    if (out.isEmpty() || out.stream().anyMatch(String::isEmpty)) {
      throw error(key, "expected a list of non-empty strings", "'" + value.asText() + "'");
    }
    return List.copyOf(out);
  }

  /**
   * A duration written with a unit: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}. A bare
   * number is refused, since its unit would be a guess.
   */
  public Duration duration(String key, Duration defaultValue) {
    JsonNode value = value(key);
    if (value == null) {
      return defaultValue;
    }
    String expected = "expected a duration such as 500ms, 30s, 5m or 1h";
    if (!value.isTextual()) {
      throw error(key, expected, describe(value));
    }
    Matcher m = DURATION.matcher(value.asText().trim());
    if (!m.matches()) {
      throw error(key, expected, describe(value));
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /**
   * Turns a component record's validation error (which already names its key) into a configuration
   * error naming the source too.
   */
  public ConfigException invalid(IllegalArgumentException e) {
    return new ConfigException(source + ": " + e.getMessage(), e);
  }

  public Path path(String key, Path defaultValue) {
    return optionalPath(key).orElse(defaultValue);
  }

  public Optional<Path> optionalPath(String key) {
    return optionalString(key).map(Path::of);
  }

  /**
   * Rejects keys of this section (and of the sections taken from it) that no getter read.
   *
   * @throws ConfigException naming the unknown key and the keys allowed there
   */
  public void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!read.contains(name)) {
        throw new ConfigException(
            source
                + ": "
                + key(name)
                + ": unknown key; allowed "
                + (path.isEmpty() ? "at the top level" : "in " + path)
                + ": "
                + String.join(", ", read));
      }
    }
    for (ConfigNode child : children) {
      child.finish();
    }
  }

  /** An error about {@code key} in this section, for checks the getters cannot express. */
  public ConfigException error(String key, String expected, String found) {
    String full = key(key);
    String origin = flags.containsKey(full) ? flags.get(full) : source + ": " + full;
    return new ConfigException(origin + ": " + expected + ", found " + found);
  }

  private JsonNode value(String key) {
    read.add(key);
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  private static String orList(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }

  private static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    return value.toString();
  }
}
