package dev.offramp.cascade.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns Jackson's reading errors into the manifest's own messages: the JSON path of the field first
 * ({@code stages[1].sha256}), then what was expected and what was found, then the fix. Stateless;
 * used only by {@link ManifestJson}.
 */
final class ManifestErrors {
  private static final int MAX_PATH_CHARS = 120;

  private ManifestErrors() {}

  /** A document over one of the reading limits, at the parser's position. */
  static BundleException limit(StreamConstraintsException e, JsonStreamContext context) {
    return new BundleException(
        path(segments(context))
            + ": "
            + limitBroken(e)
            + where(e.getLocation())
            + "; a manifest written by `offramp build` stays far below it. Rebuild the bundle.",
        e);
  }

  /** A value the binding could not read at all (e.g. an integer beyond 64 bits). */
  static BundleException unreadable(JacksonException e, JsonStreamContext context) {
    return new BundleException(
        path(segments(context)) + ": cannot read this value (" + e.getOriginalMessage() + ")", e);
  }

  /** Text that is not JSON. */
  static BundleException syntax(JacksonException e) {
    return new BundleException(
        "not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
  }

  /**
   * A field of the wrong type, a missing or an unknown field, found while binding {@code root} to
   * the manifest records.
   */
  static BundleException binding(DatabindException e, JsonNode root) {
    List<Object> at = new ArrayList<>();
    for (JsonMappingException.Reference r : ((JsonMappingException) e).getPath()) {
      at.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return unknownField(at, u.getKnownPropertyIds().stream().map(String::valueOf).toList(), e);
    }
    JsonNode found = nodeAt(root, at);
    if (found == null) {
      // Jackson checks missing fields before unknown ones; the manifest's messages the other way
      // round (an unknown field often is a misspelt required one, and says so more clearly).
      List<JsonMappingException.Reference> refs = ((JsonMappingException) e).getPath();
      Object from = refs.isEmpty() ? null : refs.get(refs.size() - 1).getFrom();
      JsonNode parent = nodeAt(root, at.subList(0, Math.max(0, at.size() - 1)));
      if (from instanceof Class<?> type && type.isRecord() && parent != null) {
        List<String> known = jsonNames(type);
        for (String field : (Iterable<String>) parent::fieldNames) {
          if (!known.contains(field)) {
            List<Object> unknown = new ArrayList<>(at.subList(0, at.size() - 1));
            unknown.add(field);
            return unknownField(unknown, known, e);
          }
        }
      }
      return new BundleException(path(at) + ": required field is missing", e);
    }
    Class<?> target =
        e instanceof MismatchedInputException m
            ? m.getTargetType()
            : e.getCause() instanceof InputCoercionException c ? c.getTargetType() : null;
    String expected = expected(target, at);
    if (expected == null) {
      return new BundleException(
          path(at) + ": cannot read " + found + " (" + e.getOriginalMessage() + ")", e);
    }
    String shown =
        "a JSON object".equals(expected)
            ? found.getNodeType().name().toLowerCase(Locale.ROOT)
            : found.toString();
    return new BundleException(path(at) + ": expected " + expected + ", found " + shown, e);
  }

  private static BundleException unknownField(
      List<Object> at, List<String> known, DatabindException e) {
    return new BundleException(
        path(at)
            + ": unknown field. Expected only "
            + known.stream().sorted().toList()
            + "; a bundle with unknown fields may need a newer offramp.",
        e);
  }

  /** The JSON field names of a manifest record: its components, renamed by JsonProperty. */
  private static List<String> jsonNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      names.add(renamed != null ? renamed.value() : c.getName());
    }
    return names;
  }

  /** What a field of Java type {@code type} holds, in the manifest's words; null if unknown. */
  private static String expected(Class<?> type, List<Object> at) {
    if (type == null) {
      return null;
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class) {
      String table = lastField(at);
      if ("thresholds".equals(table)) {
        return "a threshold in [0,1] or null";
      }
      if ("agreement".equals(table)) {
        return "a fraction in [0,1] or null";
      }
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    return null;
  }

  private static String lastField(List<Object> at) {
    for (int i = at.size() - 1; i >= 0; i--) {
      if (at.get(i) instanceof String field) {
        return field;
      }
    }
    return null;
  }

  /** The node at that path, or null where the path leaves the tree. */
  private static JsonNode nodeAt(JsonNode root, List<Object> at) {
    JsonNode node = root;
    for (Object step : at) {
      node = step instanceof String field ? node.get(field) : node.get((Integer) step);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static List<Object> segments(JsonStreamContext context) {
    List<Object> at = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        at.add(0, Math.max(0, c.getCurrentIndex()));
      } else if (c.getCurrentName() != null) {
        at.add(0, c.getCurrentName());
      }
    }
    return at;
  }

  /** A path as the manifest's messages write it: {@code stages[1].sha256}; "manifest" for root. */
  static String path(List<Object> at) {
    StringBuilder p = new StringBuilder();
    for (Object step : at) {
      if (step instanceof Integer index) {
        p.append('[').append(index).append(']');
      } else {
        p.append(p.isEmpty() ? "" : ".").append(step);
      }
    }
    if (p.isEmpty()) {
      return "manifest";
    }
    return p.length() > MAX_PATH_CHARS ? p.substring(0, MAX_PATH_CHARS) + "…" : p.toString();
  }

  /** Which limit a document crossed, in the manifest's words rather than Jackson's. */
  private static String limitBroken(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("nesting depth")) {
      return "nested deeper than " + ManifestJson.MAX_DEPTH + " levels of arrays and objects";
    }
    if (m.contains("Name length")) {
      return "a field name longer than " + ManifestJson.MAX_STRING_CHARS + " characters";
    }
    if (m.contains("String value length")) {
      return "a string longer than " + ManifestJson.MAX_STRING_CHARS + " characters";
    }
    if (m.contains("Document length")) {
      return "longer than " + ManifestJson.MAX_BYTES + " bytes";
    }
    return "over a reading limit (" + m + ")";
  }

  /** " (line L, column C)" when Jackson knows where, else nothing (it may not: a null location). */
  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
