package dev.offramp.runtime.mqtt;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.offramp.runtime.pipeline.BundleId;
import dev.offramp.runtime.pipeline.ResultEvent;
import java.util.List;

/**
 * The {@code offramp-result/1} document as Jackson binds it: one component per JSON field,
 * snake_case on the wire, written in component order ({@code schemas/result.schema.json} is its
 * published form; {@code ResultWireFormatTest} pins the bytes). Unknown fields are ignored when
 * reading; a field missing on read is null here and {@link ResultJson} names it. Immutable.
 *
 * @param seq null when missing (read as -1, as before)
 * @param classId null when missing (read as -1)
 * @param stagesRun null when missing (read as the number of stage times)
 * @param bundle null in results stored by releases before bundle ids
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ResultPayload(
    String schema,
    String device,
    String camera,
    String session,
    Long seq,
    long ts,
    String label,
    Integer classId,
    float confidence,
    int exitStage,
    Integer stagesRun,
    String profile,
    Bundle bundle,
    Latency latencyMs,
    long macs,
    double energyMj,
    String energyMethod,
    long droppedFrames,
    boolean replayed) {

  /** {@code bundle}: which bundle produced the result. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Bundle(String name, String sha256) {}

  /** {@code latency_ms}: milliseconds on the daemon's monotonic clock. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Latency(double preprocess, List<Double> stages, double inference, double total) {
    Latency {
      stages = stages == null ? null : List.copyOf(stages);
    }
  }

  /** The payload of {@code e}. */
  static ResultPayload of(ResultEvent e) {
    double[] stageMs = e.stageMs();
    Double[] stages = new Double[stageMs.length];
    for (int i = 0; i < stages.length; i++) {
      stages[i] = stageMs[i];
    }
    return new ResultPayload(
        ResultEvent.SCHEMA,
        e.device(),
        e.camera(),
        e.session(),
        e.seq(),
        e.captureEpochMs(),
        e.label(),
        e.classId(),
        e.confidence(),
        e.exitStage(),
        e.stagesRun(),
        e.profile(),
        new Bundle(e.bundle().name(), e.bundle().sha256()),
        new Latency(e.preprocessMs(), List.of(stages), e.inferenceMs(), e.totalMs()),
        e.macs(),
        e.energyMj(),
        e.energyMethod(),
        e.droppedFrames(),
        e.replayed());
  }

  /**
   * The result this payload describes.
   *
   * @throws IllegalArgumentException when the schema is another or a required field is missing
   *     (named as a JSON path)
   */
  ResultEvent toEvent() {
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
    if (latencyMs == null || latencyMs.stages() == null) {
      throw missing("latency_ms.stages");
    }
    double[] stageMs = new double[latencyMs.stages().size()];
    for (int i = 0; i < stageMs.length; i++) {
      require("latency_ms.stages[" + i + "]", latencyMs.stages().get(i));
      stageMs[i] = latencyMs.stages().get(i);
    }
    BundleId id = BundleId.UNKNOWN;
    if (bundle != null) {
      require("bundle.name", bundle.name());
      require("bundle.sha256", bundle.sha256());
      id = new BundleId(bundle.name(), bundle.sha256());
    }
    return new ResultEvent(
        device,
        camera,
        session,
        seq == null ? -1 : seq,
        ts,
        label,
        classId == null ? -1 : classId,
        confidence,
        exitStage,
        stagesRun == null ? stageMs.length : stagesRun,
        profile,
        latencyMs.preprocess(),
        stageMs,
        latencyMs.inference(),
        latencyMs.total(),
        macs,
        energyMj,
        energyMethod,
        droppedFrames,
        replayed,
        id);
  }

  private static void require(String field, Object value) {
    if (value == null) {
      throw missing(field);
    }
  }

  private static IllegalArgumentException missing(String field) {
    return new IllegalArgumentException("result JSON: required field '" + field + "' is missing");
  }
}
