package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.capture.FrameFeeds;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.energy.EnergyMeter;
import java.util.List;

/**
 * What the pipeline needs, gathered so the constructor stays readable.
 *
 * @param deviceId device id for results
 * @param manifest the bundle's manifest (classes, profiles)
 * @param executor the cascade executor (borrowed; used on the pipeline thread only)
 * @param feeds where frames come from: every camera's slot and pace
 * @param meter energy attribution (borrowed)
 * @param sinks receivers of every result
 * @param initialProfile the profile to start with
 * @param frameLimit stop after this many results (all cameras); 0 for no limit
 */
public record PipelineParts(
    String deviceId,
    Manifest manifest,
    CascadeExecutor executor,
    FrameFeeds feeds,
    EnergyMeter meter,
    List<ResultSink> sinks,
    String initialProfile,
    long frameLimit) {
  public PipelineParts {
    Required.nonNull(
        "deviceId, manifest, executor, feeds, meter, initialProfile",
        deviceId,
        manifest,
        executor,
        feeds,
        meter,
        initialProfile);
    sinks = List.copyOf(sinks);
  }

  /** One camera on one slot, paced at {@code maxFps} (0 for no cap). */
  public PipelineParts(
      String deviceId,
      String camera,
      Manifest manifest,
      CascadeExecutor executor,
      LatestFrameSlot slot,
      EnergyMeter meter,
      List<ResultSink> sinks,
      String initialProfile,
      double maxFps,
      long frameLimit) {
    this(
        deviceId,
        manifest,
        executor,
        FrameFeeds.single(camera, slot, maxFps),
        meter,
        sinks,
        initialProfile,
        frameLimit);
  }
}
