package dev.offramp.runtime.control;

import dev.offramp.runtime.pipeline.Pipeline;
import java.util.List;
import java.util.Objects;

/**
 * The pipeline's switches seen as a {@link RuntimeControl}; the pipeline itself knows no control.
 */
final class PipelineSwitches implements RuntimeControl {
  private final Pipeline pipeline;

  PipelineSwitches(Pipeline pipeline) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
  }

  @Override
  public List<String> profiles() {
    return pipeline.profiles();
  }

  @Override
  public String profile() {
    return pipeline.profile();
  }

  @Override
  public void setProfile(String name) {
    pipeline.setProfile(name);
  }

  @Override
  public boolean paused() {
    return pipeline.paused();
  }

  @Override
  public void setPaused(boolean paused) {
    pipeline.setPaused(paused);
  }
}
