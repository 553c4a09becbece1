package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one codec of the {@code offramp-result/1} payload, shared by MQTT, the disk buffer and the
 * HTTP event stream. Field names are the contract of ARCHITECTURE.md. Stateless and thread-safe;
 * streaming Jackson, no reflection.
 */
public final class ResultJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private ResultJson() {}

  /** UTF-8 JSON of one result. */
  public static byte[] toBytes(ResultEvent e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("schema", ResultEvent.SCHEMA);
      g.writeStringField("device", e.device());
      g.writeStringField("camera", e.camera());
      g.writeStringField("session", e.session());
      g.writeNumberField("seq", e.seq());
      g.writeNumberField("ts", e.captureEpochMs());
      g.writeStringField("label", e.label());
      g.writeNumberField("class_id", e.classId());
      g.writeNumberField("confidence", e.confidence());
      g.writeNumberField("exit_stage", e.exitStage());
      g.writeNumberField("stages_run", e.stagesRun());
      g.writeStringField("profile", e.profile());
      g.writeObjectFieldStart("bundle");
      g.writeStringField("name", e.bundle().name());
      g.writeStringField("sha256", e.bundle().sha256());
      g.writeEndObject();
      g.writeObjectFieldStart("latency_ms");
      g.writeNumberField("preprocess", e.preprocessMs());
      g.writeArrayFieldStart("stages");
      for (double s : e.stageMs()) {
        g.writeNumber(s);
      }
      g.writeEndArray();
      g.writeNumberField("inference", e.inferenceMs());
      g.writeNumberField("total", e.totalMs());
      g.writeEndObject();
      g.writeNumberField("macs", e.macs());
      g.writeNumberField("energy_mj", e.energyMj());
      g.writeStringField("energy_method", e.energyMethod());
      g.writeNumberField("dropped_frames", e.droppedFrames());
      g.writeBooleanField("replayed", e.replayed());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException("writing result JSON to memory failed", ex);
    }
    return out.toByteArray();
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
    String schema = null;
    String device = null;
    String camera = null;
    String session = null;
    String label = null;
    String profile = null;
    String energyMethod = null;
    long seq = -1;
    long ts = 0;
    int classId = -1;
    float confidence = 0;
    int exitStage = 0;
    int stagesRun = -1;
    double preprocess = 0;
    double[] stages = null;
    double inference = 0;
    double total = 0;
    long macs = 0;
    double energyMj = 0;
    long dropped = 0;
    boolean replayed = false;
    BundleId bundle = BundleId.UNKNOWN;
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("result JSON: expected an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "schema" -> schema = p.getText();
          case "device" -> device = p.getText();
          case "camera" -> camera = p.getText();
          case "session" -> session = p.getText();
          case "seq" -> seq = p.getLongValue();
          case "ts" -> ts = p.getLongValue();
          case "label" -> label = p.getText();
          case "class_id" -> classId = p.getIntValue();
          case "confidence" -> confidence = p.getFloatValue();
          case "exit_stage" -> exitStage = p.getIntValue();
          case "stages_run" -> stagesRun = p.getIntValue();
          case "profile" -> profile = p.getText();
          case "macs" -> macs = p.getLongValue();
          case "energy_mj" -> energyMj = p.getDoubleValue();
          case "energy_method" -> energyMethod = p.getText();
          case "dropped_frames" -> dropped = p.getLongValue();
          case "replayed" -> replayed = p.getBooleanValue();
          case "bundle" -> bundle = readBundle(p, t);
          case "latency_ms" -> {
            if (t != JsonToken.START_OBJECT) {
              throw new IllegalArgumentException("result JSON: latency_ms must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String ln = p.currentName();
              JsonToken lt = p.nextToken();
              switch (ln) {
                case "preprocess" -> preprocess = p.getDoubleValue();
                case "inference" -> inference = p.getDoubleValue();
                case "total" -> total = p.getDoubleValue();
                case "stages" -> {
                  if (lt != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException(
                        "result JSON: latency_ms.stages must be an array");
                  }
                  double[] buf = new double[8];
                  int n = 0;
                  while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (n == buf.length) {
                      buf = Arrays.copyOf(buf, n * 2);
                    }
                    buf[n++] = p.getDoubleValue();
                  }
                  stages = Arrays.copyOf(buf, n);
                }
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException ex) {
      throw new IllegalArgumentException("result JSON: not parseable: " + ex.getMessage(), ex);
    }
    if (!ResultEvent.SCHEMA.equals(schema)) {
      throw new IllegalArgumentException(
          "result JSON: expected schema '" + ResultEvent.SCHEMA + "'; found '" + schema + "'");
    }
    require("device", device);
    require("camera", camera);
    require("session", session);
    require("label", label);
    require("profile", profile);
    require("energy_method", energyMethod);
    require("latency_ms.stages", stages);
    if (stagesRun < 0) {
      stagesRun = stages.length;
    }
    return new ResultEvent(
        device,
        camera,
        session,
        seq,
        ts,
        label,
        classId,
        confidence,
        exitStage,
        stagesRun,
        profile,
        preprocess,
        stages,
        inference,
        total,
        macs,
        energyMj,
        energyMethod,
        dropped,
        replayed,
        bundle);
  }

  /** The {@code bundle} object; a result stored by an older release has none. */
  private static BundleId readBundle(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("result JSON: bundle must be an object");
    }
    String name = null;
    String sha = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> name = p.getText();
        case "sha256" -> sha = p.getText();
        default -> p.skipChildren();
      }
    }
    require("bundle.name", name);
    require("bundle.sha256", sha);
    return new BundleId(name, sha);
  }

  private static void require(String field, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("result JSON: required field '" + field + "' is missing");
    }
  }
}
