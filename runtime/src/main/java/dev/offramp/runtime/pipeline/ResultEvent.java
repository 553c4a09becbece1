package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.value.Required;

/**
 * One classified frame, as published on {@code <prefix>/<camera>/result} and {@code /api/results}.
 * Immutable; the field set is the "offramp-result/1" contract of ARCHITECTURE.md.
 *
 * @param device device id
 * @param camera camera (source) name
 * @param session id of this daemon start
 * @param seq sequence number within the session and camera, +1 per published result of the camera
 * @param captureEpochMs capture time, epoch milliseconds
 * @param label class label
 * @param classId class index
 * @param confidence softmax confidence of the answering exit
 * @param exitStage the stage that answered (0-based)
 * @param stagesRun stages executed
 * @param profile the exit profile in force
 * @param preprocessMs preprocessing time
 * @param stageMs per-stage inference time, one entry per stage run
 * @param inferenceMs total inference time
 * @param totalMs capture to publish
 * @param macs multiply-accumulates executed, heads included
 * @param energyMj energy attributed to this frame, millijoules
 * @param energyMethod how energy was measured, e.g. {@code rapl:package} or {@code model:macs}
 * @param droppedFrames frames overwritten in the capture slot since the previous result
 * @param replayed whether this result is sent from the offline buffer
 * @param bundle the bundle that produced this result
 */
public record ResultEvent(
    String device,
    String camera,
    String session,
    long seq,
    long captureEpochMs,
    String label,
    int classId,
    float confidence,
    int exitStage,
    int stagesRun,
    String profile,
    double preprocessMs,
    double[] stageMs,
    double inferenceMs,
    double totalMs,
    long macs,
    double energyMj,
    String energyMethod,
    long droppedFrames,
    boolean replayed,
    BundleId bundle) {

  /** The schema name carried in every payload. */
  public static final String SCHEMA = "offramp-result/1";

  public ResultEvent {
    Required.nonNull(
        "device, camera, session, label, profile, energyMethod, bundle",
        device,
        camera,
        session,
        label,
        profile,
        energyMethod,
        bundle);
    stageMs = stageMs.clone();
    if (stageMs.length != stagesRun) {
      throw new IllegalArgumentException(
          "stageMs has "
              + stageMs.length
              + " entries, expected one per stage run ("
              + stagesRun
              + ")");
    }
  }

  /** Per-stage inference times, a copy: the record stays immutable. */
  @Override
  public double[] stageMs() {
    return stageMs.clone();
  }

  /** The same result marked as sent from the offline buffer. */
  public ResultEvent asReplayed() {
    return new ResultEvent(
        device,
        camera,
        session,
        seq,
        captureEpochMs,
        label,
        classId,
        confidence,
        exitStage,
        stagesRun,
        profile,
        preprocessMs,
        stageMs,
        inferenceMs,
        totalMs,
        macs,
        energyMj,
        energyMethod,
        droppedFrames,
        true,
        bundle);
  }
}
