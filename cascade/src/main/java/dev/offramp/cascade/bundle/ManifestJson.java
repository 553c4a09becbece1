package dev.offramp.cascade.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offramp.cascade.exit.ThresholdTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes {@code manifest.json}. Reading walks the JSON tree by hand so that every error
 * names the field by its JSON path ({@code stages[1].sha256}); unknown fields are errors, never
 * silently ignored. Stateless and thread-safe.
 *
 * <p>Reading is bounded before any tree is built: at most {@link #MAX_BYTES} bytes, {@link
 * #MAX_DEPTH} levels of nesting and {@link #MAX_STRING_CHARS} characters per string (a manifest
 * written by {@code offramp build} is a few KiB, five levels deep, with short strings). A document
 * over a limit is refused with the JSON path where the limit was crossed.
 */
public final class ManifestJson {
  /** Largest manifest file read; a real one is a few KiB. */
  public static final int MAX_BYTES = 1 << 20;

  /** Deepest nesting of arrays and objects; a real manifest has 5 levels. */
  public static final int MAX_DEPTH = 16;

  /** Longest string value or field name. */
  public static final int MAX_STRING_CHARS = 4096;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(MAX_STRING_CHARS)
                          .maxNameLength(MAX_STRING_CHARS)
                          .maxDocumentLength(MAX_BYTES)
                          .build())
                  .build())
          .enable(SerializationFeature.INDENT_OUTPUT);

  private static final Set<String> TOP =
      Set.of(
          "format",
          "name",
          "classes",
          "input",
          "backbone",
          "stages",
          "profiles",
          "default_profile",
          "training");
  private static final Set<String> INPUT =
      Set.of("tensor", "shape", "color", "scale", "mean", "std");
  private static final Set<String> BACKBONE = Set.of("sha256", "macs", "outputs");
  private static final Set<String> STAGE =
      Set.of("file", "sha256", "input", "features", "probs", "macs", "head_macs");
  private static final Set<String> PROFILE = Set.of("margin", "thresholds", "expected", "target");
  private static final Set<String> TARGET = Set.of("max_drop_points", "min_saving");
  private static final Set<String> EXPECTED =
      Set.of("accuracy", "macs_fraction", "exit_rates", "agreement");
  private static final Set<String> TRAINING = Set.of("scheme", "targets", "calibration", "seed");

  private ManifestJson() {}

  /** Reads and validates a manifest file; errors name the file and the field. */
  public static Manifest read(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new BundleException(
            file
                + ": manifest is "
                + size
                + " bytes, expected at most "
                + MAX_BYTES
                + " (a manifest written by `offramp build` is a few KiB); rebuild the bundle");
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BundleException(
          file + ": no manifest.json here. Expected a bundle directory written by `offramp build`.",
          e);
    } catch (IOException e) {
      throw new BundleException(file + ": cannot read the manifest: " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (BundleException e) {
      throw new BundleException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses and validates manifest JSON text. */
  public static Manifest parse(String json) {
    if (json.length() > MAX_BYTES) {
      throw new BundleException(
          "manifest: "
              + json.length()
              + " characters, expected at most "
              + MAX_BYTES
              + " (a manifest written by `offramp build` is a few KiB); rebuild the bundle");
    }
    JsonNode root;
    try (JsonParser parser = MAPPER.createParser(json)) {
      try {
        root = MAPPER.readTree(parser);
      } catch (StreamConstraintsException e) {
        throw new BundleException(
            jsonPath(parser.getParsingContext())
                + ": "
                + limitBroken(e)
                + where(e.getLocation())
                + "; a manifest written by `offramp build` stays far below it. Rebuild the bundle.",
            e);
      } catch (JsonProcessingException e) {
        throw new BundleException(
            "not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
      }
    } catch (IOException e) {
      throw new BundleException("manifest: cannot read the JSON text: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new BundleException("manifest: expected a JSON object, found an empty document");
    }
    Node top = new Node(root, "");
    top.requireObject(TOP);
    String format = top.text("format");
    if (!Manifest.FORMAT.equals(format)) {
      // Check the version before anything else: a newer format may use fields we do not know.
      throw new BundleException(
          "format: expected '"
              + Manifest.FORMAT
              + "', found '"
              + format
              + "'. This offramp reads bundle format 1 only.");
    }
    return new Manifest(
        format,
        top.text("name"),
        top.child("classes").textList(),
        input(top.child("input")),
        backbone(top.child("backbone")),
        stages(top.child("stages")),
        profiles(top.child("profiles")),
        top.text("default_profile"),
        training(top.child("training")));
  }

  /** Which limit a document crossed, in the manifest's words rather than Jackson's. */
  private static String limitBroken(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("nesting depth")) {
      return "nested deeper than " + MAX_DEPTH + " levels of arrays and objects";
    }
    if (m.contains("Name length")) {
      return "a field name longer than " + MAX_STRING_CHARS + " characters";
    }
    if (m.contains("String value length")) {
      return "a string longer than " + MAX_STRING_CHARS + " characters";
    }
    if (m.contains("Document length")) {
      return "longer than " + MAX_BYTES + " bytes";
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

  /** The parser's position as this class writes paths: {@code stages[1].sha256}. */
  private static String jsonPath(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add("." + c.getCurrentName());
      }
    }
    StringBuilder path = new StringBuilder();
    for (int i = parts.size() - 1; i >= 0; i--) {
      path.append(parts.get(i));
    }
    String p = path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    if (p.isEmpty()) {
      return "manifest";
    }
    return p.length() > 120 ? p.substring(0, 120) + "…" : p;
  }

  private static InputSpec input(Node n) {
    n.requireObject(INPUT);
    ColorMode color = ColorMode.parse(n.text("color"), n.path("color"));
    return at(
        n,
        () ->
            new InputSpec(
                n.text("tensor"),
                n.child("shape").longArray(),
                color,
                n.number("scale"),
                n.child("mean").doubleArray(),
                n.child("std").doubleArray()));
  }

  private static BackboneInfo backbone(Node n) {
    n.requireObject(BACKBONE);
    return at(
        n,
        () -> new BackboneInfo(n.text("sha256"), n.integer("macs"), n.child("outputs").textList()));
  }

  private static List<StageSpec> stages(Node n) {
    List<StageSpec> stages = new ArrayList<>();
    for (Node s : n.elements()) {
      s.requireObject(STAGE);
      stages.add(
          at(
              s,
              () ->
                  new StageSpec(
                      s.text("file"),
                      s.text("sha256"),
                      s.text("input"),
                      s.optionalText("features"),
                      s.text("probs"),
                      s.integer("macs"),
                      s.integer("head_macs"))));
    }
    return stages;
  }

  private static Map<String, Profile> profiles(Node n) {
    n.requireObject(null);
    Map<String, Profile> profiles = new LinkedHashMap<>();
    for (Iterator<String> it = n.json.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Node p = n.child(name);
      p.requireObject(PROFILE);
      Node e = p.child("expected");
      e.requireObject(EXPECTED);
      double[][] agreement =
          e.json.has("agreement")
              ? nullableTable(e.child("agreement"), "fraction")
              : new double[0][];
      Expected expected =
          at(
              e,
              () ->
                  new Expected(
                      e.number("accuracy"),
                      e.number("macs_fraction"),
                      e.child("exit_rates").doubleArray(),
                      agreement));
      ThresholdTable thresholds = thresholds(p.child("thresholds"));
      Optional<ProfileTarget> target = Optional.empty();
      if (p.json.has("target")) {
        Node tn = p.child("target");
        tn.requireObject(TARGET);
        Optional<Double> minSaving =
            tn.json.has("min_saving") && !tn.json.get("min_saving").isNull()
                ? Optional.of(tn.number("min_saving"))
                : Optional.empty();
        target =
            Optional.of(at(tn, () -> new ProfileTarget(tn.number("max_drop_points"), minSaving)));
      }
      Optional<ProfileTarget> t = target;
      profiles.put(
          name, at(p, () -> new Profile(name, p.number("margin"), thresholds, expected, t)));
    }
    return profiles;
  }

  private static ThresholdTable thresholds(Node n) {
    try {
      return ThresholdTable.of(nullableTable(n, "threshold"));
    } catch (IllegalArgumentException e) {
      throw new BundleException(n.where + ": " + e.getMessage(), e);
    }
  }

  /** Rows of numbers or nulls (read as NaN). */
  private static double[][] nullableTable(Node n, String what) {
    List<Node> rows = n.elements();
    double[][] table = new double[rows.size()][];
    for (int k = 0; k < rows.size(); k++) {
      List<Node> cells = rows.get(k).elements();
      table[k] = new double[cells.size()];
      for (int c = 0; c < cells.size(); c++) {
        Node cell = cells.get(c);
        if (cell.json.isNull()) {
          table[k][c] = Double.NaN;
        } else if (cell.json.isNumber()) {
          table[k][c] = cell.json.doubleValue();
        } else {
          throw new BundleException(
              cell.where + ": expected a " + what + " in [0,1] or null, found " + cell.json);
        }
      }
    }
    return table;
  }

  private static TrainingInfo training(Node n) {
    n.requireObject(TRAINING);
    return at(
        n,
        () ->
            new TrainingInfo(
                n.text("scheme"), n.text("targets"), n.text("calibration"), n.integer("seed")));
  }

  /** Runs a record constructor, prefixing its error (which names a field of n) with n's path. */
  private static <T> T at(Node n, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (BundleException e) {
      if (e.getMessage().startsWith(n.where)) {
        throw e; // already a full path: a JSON accessor failed, not the record
      }
      throw new BundleException(n.where + "." + e.getMessage(), e);
    }
  }

  /** Writes a manifest as indented JSON (snake_case keys, null for absent thresholds). */
  public static void write(Manifest manifest, Path file) {
    try {
      Files.writeString(file, toJson(manifest) + "\n");
    } catch (IOException e) {
      throw new BundleException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The manifest as JSON text. */
  public static String toJson(Manifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", m.format());
    root.put("name", m.name());
    ArrayNode classes = root.putArray("classes");
    m.classes().forEach(classes::add);
    ObjectNode input = root.putObject("input");
    InputSpec in = m.input();
    input.put("tensor", in.tensor());
    ArrayNode shape = input.putArray("shape");
    for (long d : in.shape()) {
      shape.add(d);
    }
    input.put("color", in.color().jsonName());
    input.put("scale", in.scale());
    ArrayNode mean = input.putArray("mean");
    for (double v : in.mean()) {
      mean.add(v);
    }
    ArrayNode std = input.putArray("std");
    for (double v : in.std()) {
      std.add(v);
    }
    ObjectNode backbone = root.putObject("backbone");
    backbone.put("sha256", m.backbone().sha256());
    backbone.put("macs", m.backbone().macs());
    ArrayNode outputs = backbone.putArray("outputs");
    m.backbone().outputs().forEach(outputs::add);
    ArrayNode stages = root.putArray("stages");
    for (StageSpec s : m.stages()) {
      ObjectNode stage = stages.addObject();
      stage.put("file", s.file());
      stage.put("sha256", s.sha256());
      stage.put("input", s.input());
      if (s.features().isPresent()) {
        stage.put("features", s.features().get());
      } else {
        stage.putNull("features");
      }
      stage.put("probs", s.probs());
      stage.put("macs", s.macs());
      stage.put("head_macs", s.headMacs());
    }
    ObjectNode profiles = root.putObject("profiles");
    for (Profile p : m.profiles().values()) {
      ObjectNode profile = profiles.putObject(p.name());
      profile.put("margin", p.margin());
      ArrayNode rows = profile.putArray("thresholds");
      for (double[] row : p.thresholds().toArray()) {
        ArrayNode r = rows.addArray();
        for (double t : row) {
          if (Double.isNaN(t)) {
            r.addNull();
          } else {
            r.add(t);
          }
        }
      }
      ObjectNode expected = profile.putObject("expected");
      expected.put("accuracy", p.expected().accuracy());
      expected.put("macs_fraction", p.expected().macsFraction());
      ArrayNode rates = expected.putArray("exit_rates");
      for (double r : p.expected().exitRates()) {
        rates.add(r);
      }
      if (p.expected().hasAgreement()) {
        ArrayNode agreement = expected.putArray("agreement");
        for (double[] row : p.expected().agreement()) {
          ArrayNode r = agreement.addArray();
          for (double a : row) {
            if (Double.isNaN(a)) {
              r.addNull();
            } else {
              r.add(a);
            }
          }
        }
      }
      if (p.target().isPresent()) {
        ObjectNode target = profile.putObject("target");
        target.put("max_drop_points", p.target().get().maxDropPoints());
        p.target().get().minSaving().ifPresent(v -> target.put("min_saving", v));
      }
    }
    root.put("default_profile", m.defaultProfile());
    ObjectNode training = root.putObject("training");
    training.put("scheme", m.training().scheme());
    training.put("targets", m.training().targets());
    training.put("calibration", m.training().calibration());
    training.put("seed", m.training().seed());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a manifest tree", e);
    }
  }

  /** A JSON node with its path, for error messages. */
  private record Node(JsonNode json, String where) {
    String path(String field) {
      return where.isEmpty() ? field : where + "." + field;
    }

    void requireObject(Set<String> allowed) {
      if (!json.isObject()) {
        throw new BundleException(
            (where.isEmpty() ? "manifest" : where)
                + ": expected a JSON object, found "
                + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (allowed == null) {
        return;
      }
      for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!allowed.contains(field)) {
          throw new BundleException(
              path(field)
                  + ": unknown field. Expected only "
                  + allowed.stream().sorted().toList()
                  + "; a bundle with unknown fields may need a newer offramp.");
        }
      }
    }

    Node child(String field) {
      JsonNode value = json.get(field);
      if (value == null || value.isMissingNode()) {
        throw new BundleException(path(field) + ": required field is missing");
      }
      return new Node(value, path(field));
    }

    String text(String field) {
      Node n = child(field);
      if (!n.json.isTextual()) {
        throw new BundleException(n.where + ": expected a string, found " + n.json);
      }
      return n.json.textValue();
    }

    Optional<String> optionalText(String field) {
      Node n = child(field);
      if (n.json.isNull()) {
        return Optional.empty();
      }
      if (!n.json.isTextual()) {
        throw new BundleException(n.where + ": expected a string or null, found " + n.json);
      }
      return Optional.of(n.json.textValue());
    }

    double number(String field) {
      Node n = child(field);
      if (!n.json.isNumber()) {
        throw new BundleException(n.where + ": expected a number, found " + n.json);
      }
      return n.json.doubleValue();
    }

    long integer(String field) {
      Node n = child(field);
      if (!n.json.isIntegralNumber() || !n.json.canConvertToLong()) {
        throw new BundleException(n.where + ": expected an integer, found " + n.json);
      }
      return n.json.longValue();
    }

    List<Node> elements() {
      if (!json.isArray()) {
        throw new BundleException(where + ": expected a JSON array, found " + json);
      }
      List<Node> out = new ArrayList<>(json.size());
      for (int i = 0; i < json.size(); i++) {
        out.add(new Node(json.get(i), where + "[" + i + "]"));
      }
      return out;
    }

    List<String> textList() {
      List<String> out = new ArrayList<>();
      for (Node e : elements()) {
        if (!e.json.isTextual()) {
          throw new BundleException(e.where + ": expected a string, found " + e.json);
        }
        out.add(e.json.textValue());
      }
      return out;
    }

    long[] longArray() {
      List<Node> es = elements();
      long[] out = new long[es.size()];
      for (int i = 0; i < out.length; i++) {
        Node e = es.get(i);
        if (!e.json.isIntegralNumber()) {
          throw new BundleException(e.where + ": expected an integer, found " + e.json);
        }
        out[i] = e.json.longValue();
      }
      return out;
    }

    double[] doubleArray() {
      List<Node> es = elements();
      double[] out = new double[es.size()];
      for (int i = 0; i < out.length; i++) {
        Node e = es.get(i);
        if (!e.json.isNumber()) {
          throw new BundleException(e.where + ": expected a number, found " + e.json);
        }
        out[i] = e.json.doubleValue();
      }
      return out;
    }
  }
}
