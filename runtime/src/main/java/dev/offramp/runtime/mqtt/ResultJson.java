package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one codec of the {@code offramp-result/1} payload, shared by MQTT, the disk buffer and the
 * HTTP event stream: Jackson databind over {@link ResultPayload}, whose field names and order are
 * the contract of ARCHITECTURE.md and {@code schemas/result.schema.json}. Errors name the field as
 * a JSON path ({@code result JSON: latency_ms.stages[1]: ...}). Stateless and thread-safe.
 */
public final class ResultJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER = MAPPER.writerFor(ResultPayload.class);
  private static final ObjectReader READER = MAPPER.readerFor(ResultPayload.class);
  private static final byte[] NOT_REPLAYED = bytes(",\"replayed\":false}");
  private static final byte[] REPLAYED = bytes(",\"replayed\":true}");
  private static final byte[] HEAD = bytes("{\"schema\":\"" + ResultEvent.SCHEMA + "\",");
  // Only a bundle object closes right before latency_ms: quotes inside strings are escaped.
  private static final byte[] BUNDLE_THEN_LATENCY = bytes("\"},\"latency_ms\":{");

  private ResultJson() {}

  /** UTF-8 JSON of one result. */
  public static byte[] toBytes(ResultEvent e) {
    try {
      return WRITER.writeValueAsBytes(ResultPayload.of(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("writing result JSON to memory failed", ex);
    }
  }

  /** JSON of one result, as a string. */
  public static String toJson(ResultEvent e) {
    return new String(toBytes(e), StandardCharsets.UTF_8);
  }

  /** Parses a payload written by {@link #toJson}; unknown fields are ignored. */
  public static ResultEvent fromJson(String json) {
    return fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a UTF-8 payload written by {@link #toBytes}; unknown fields are ignored.
   *
   * @throws IllegalArgumentException when the payload is not JSON, has another schema or misses a
   *     required field (named in the message)
   */
  public static ResultEvent fromBytes(byte[] json) {
    ResultPayload payload;
    try {
      payload = READER.readValue(json);
    } catch (IOException ex) {
      throw new IllegalArgumentException(describe(ex), ex);
    }
    if (payload == null) {
      throw new IllegalArgumentException("result JSON: expected an object; found null");
    }
    return payload.toEvent();
  }

  /**
   * The stored payload {@code json} as sent from the offline buffer ({@code "replayed": true}).
   * What this codec wrote (schema first, a bundle object, {@code replayed} last) passes through
   * with only that value changed; anything else (a row stored by an older release, e.g. without a
   * bundle) is read and written again, as this release writes it.
   *
   * @throws IllegalArgumentException as {@link #fromBytes} for a payload that must be read
   */
  public static byte[] asReplayed(byte[] json) {
    if (startsWith(json, HEAD)
        && contains(json, BUNDLE_THEN_LATENCY)
        && endsWith(json, NOT_REPLAYED)) {
      byte[] out = Arrays.copyOf(json, json.length - NOT_REPLAYED.length + REPLAYED.length);
      System.arraycopy(REPLAYED, 0, out, json.length - NOT_REPLAYED.length, REPLAYED.length);
      return out;
    }
    return toBytes(fromBytes(json).asReplayed());
  }

  /** A Jackson error as {@code result JSON: <path>: <what>}. */
  private static String describe(IOException ex) {
    String what =
        ex instanceof JsonProcessingException j ? j.getOriginalMessage() : ex.getMessage();
    if (ex instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
        } else {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      return "result JSON: " + path + ": " + what;
    }
    return "result JSON: not parseable: " + what;
  }

  private static boolean startsWith(byte[] json, byte[] head) {
    return json.length > head.length && Arrays.equals(json, 0, head.length, head, 0, head.length);
  }

  private static boolean contains(byte[] json, byte[] part) {
    for (int i = 0; i + part.length <= json.length; i++) {
      if (Arrays.equals(json, i, i + part.length, part, 0, part.length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWith(byte[] json, byte[] tail) {
    int from = json.length - tail.length;
    return from > 0 && Arrays.equals(json, from, json.length, tail, 0, tail.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
