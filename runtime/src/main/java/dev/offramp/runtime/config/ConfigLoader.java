package dev.offramp.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.offramp.runtime.settings.ConfigException;
import dev.offramp.runtime.settings.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the YAML configuration file, applies command-line overrides on top, and hands the tree to
 * {@link RuntimeConfig#parse(ConfigNode)}. Stateless.
 */
public final class ConfigLoader {
  /** Largest configuration file read; a real one is a few KiB. */
  public static final int MAX_BYTES = 1 << 20;

  private ConfigLoader() {}

  /**
   * A value set by a command-line flag; it replaces the file's value at {@code key}.
   *
   * @param key dotted key, e.g. {@code source.max-fps}
   * @param flag the flag, for error messages, e.g. {@code --max-fps}
   * @param value a String, Boolean, Integer, Long or Double
   */
  public record Override(String key, String flag, Object value) {
    public Override {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(flag, "flag");
      Objects.requireNonNull(value, "value");
      if (!(value instanceof String
          || value instanceof Boolean
          || value instanceof Integer
          || value instanceof Long
          || value instanceof Double)) {
        throw new IllegalArgumentException("unsupported override type " + value.getClass());
      }
    }
  }

  /**
   * Loads and validates the configuration.
   *
   * @param file the YAML file, or empty to start from defaults and flags only
   * @throws ConfigException naming the file, flag or key at fault
   */
  public static RuntimeConfig load(Optional<Path> file, List<Override> overrides) {
    ObjectNode root = file.map(ConfigLoader::read).orElseGet(JsonNodeFactory.instance::objectNode);
    Map<String, String> flags = new HashMap<>();
    for (Override o : overrides) {
      set(root, o.key(), o.value());
      flags.put(o.key(), o.flag());
    }
    String source = file.map(f -> f.getFileName().toString()).orElse("command line");
    ConfigNode node = new ConfigNode(source, root, flags);
    RuntimeConfig config = RuntimeConfig.parse(node);
    node.finish();
    return config;
  }

  static ObjectNode read(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode tree;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ConfigException(
            file
                + ": "
                + size
                + " bytes, expected at most "
                + MAX_BYTES
                + " for a configuration file; is this the right file?");
      }
      tree = yaml.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such configuration file");
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          file + ": not valid YAML: " + e.getOriginalMessage() + location(e), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new ConfigException(file + ": expected a mapping of keys at the top level");
    }
    return object;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static void set(ObjectNode root, String dotted, Object value) {
    String[] parts = dotted.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    String last = parts[parts.length - 1];
    switch (value) {
      case String s -> node.put(last, s);
      case Boolean b -> node.put(last, b);
      case Integer n -> node.put(last, n);
      case Long n -> node.put(last, n);
      case Double d -> node.put(last, d);
      default ->
          throw new IllegalArgumentException("unsupported override type " + value.getClass());
    }
  }
}
