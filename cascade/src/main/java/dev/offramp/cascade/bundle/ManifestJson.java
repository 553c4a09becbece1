package dev.offramp.cascade.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes {@code manifest.json} through Jackson databind and the records of {@link
 * ManifestDocument}. Binding is strict: no type coercion (a string is never a number), unknown
 * fields are errors, every field is required unless the record marks it optional; every error names
 * the field by its JSON path ({@code stages[1].sha256}, see {@link ManifestErrors}). Stateless and
 * thread-safe.
 *
 * <p>Reading is bounded before any tree is built: at most {@link #MAX_BYTES} bytes, {@link
 * #MAX_DEPTH} levels of nesting and {@link #MAX_STRING_CHARS} characters per string (a manifest
 * written by {@code offramp build} is a few KiB, five levels deep, with short strings). A document
 * over a limit is refused with the JSON path where the limit was crossed. The document is first
 * read as a tree so that an error can quote the value it found.
 */
public final class ManifestJson {
  /** Largest manifest file read; a real one is a few KiB. */
  public static final int MAX_BYTES = 1 << 20;

  /** Deepest nesting of arrays and objects; a real manifest has 5 levels. */
  public static final int MAX_DEPTH = 16;

  /** Longest string value or field name. */
  public static final int MAX_STRING_CHARS = 4096;

  private static final JsonMapper MAPPER = mapper();

  private ManifestJson() {}

  private static JsonMapper mapper() {
    JsonMapper mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING_CHARS)
                            .maxNameLength(MAX_STRING_CHARS)
                            .maxDocumentLength(MAX_BYTES)
                            .build())
                    .build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .annotationIntrospector(new RequiredUnlessOptional())
            .build();
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  /**
   * Every manifest field is required except those written only when present ({@code
   * JsonInclude(NON_NULL)}): one annotation says both how a field is written and whether it may be
   * missing.
   */
  private static final class RequiredUnlessOptional extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasRequiredMarker(AnnotatedMember m) {
      return !optional(m);
    }

    private static boolean optional(Annotated m) {
      JsonInclude include = m.getAnnotation(JsonInclude.class);
      return include != null && include.value() == JsonInclude.Include.NON_NULL;
    }
  }

  /** Reads and validates a manifest file; errors name the file and the field. */
  public static Manifest read(Path file) {
    String text;
    try {
      requireAtMostMaxBytes(file + ": manifest is ", Files.size(file), " bytes");
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
    requireAtMostMaxBytes("manifest: ", json.length(), " characters");
    JsonNode root = tree(json);
    if (!root.isObject()) {
      throw new BundleException(
          "manifest: expected a JSON object, found "
              + root.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    checkFormat(root);
    ManifestDocument document;
    try (JsonParser tokens = MAPPER.treeAsTokens(root)) {
      try {
        document = MAPPER.readValue(tokens, ManifestDocument.class);
      } catch (DatabindException e) {
        throw ManifestErrors.binding(e, root);
      } catch (JacksonException e) {
        throw ManifestErrors.unreadable(e, tokens.getParsingContext());
      }
    } catch (IOException e) {
      throw new BundleException("manifest: cannot read the JSON tree: " + e.getMessage(), e);
    }
    return document.toManifest();
  }

  /** Refuses a manifest longer than {@link #MAX_BYTES}, before reading it. */
  private static void requireAtMostMaxBytes(String subject, long size, String unit) {
    if (size > MAX_BYTES) {
      throw new BundleException(
          subject
              + size
              + unit
              + ", expected at most "
              + MAX_BYTES
              + " (a manifest written by `offramp build` is a few KiB); rebuild the bundle");
    }
  }

  /** The JSON tree, within the reading limits. */
  private static JsonNode tree(String json) {
    JsonNode root;
    try (JsonParser parser = MAPPER.createParser(json)) {
      try {
        root = MAPPER.readTree(parser);
      } catch (StreamConstraintsException e) {
        throw ManifestErrors.limit(e, parser.getParsingContext());
      } catch (JacksonException e) {
        throw ManifestErrors.syntax(e);
      }
    } catch (IOException e) {
      throw new BundleException("manifest: cannot read the JSON text: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new BundleException("manifest: expected a JSON object, found an empty document");
    }
    return root;
  }

  /** The version is checked before anything else: a newer format may use fields we do not know. */
  private static void checkFormat(JsonNode root) {
    JsonNode format = root.get("format");
    if (format != null && format.isTextual() && !Manifest.FORMAT.equals(format.textValue())) {
      throw new BundleException(
          "format: expected '"
              + Manifest.FORMAT
              + "', found '"
              + format.textValue()
              + "'. This offramp reads bundle format 1 only.");
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
    try {
      return MAPPER.writeValueAsString(ManifestDocument.of(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a manifest", e);
    }
  }
}
