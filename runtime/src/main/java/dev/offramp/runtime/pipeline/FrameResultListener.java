package dev.offramp.runtime.pipeline;

/**
 * Like a {@link ResultSink}, but also told which source frame the result is for (the demo uses it
 * to score results against known labels). Called on the pipeline thread; must return quickly.
 */
@FunctionalInterface
public interface FrameResultListener {
  void accept(long frameIndex, ResultEvent event);
}
