package dev.offramp.runtime.pipeline;

/**
 * Receives every classified frame, on the pipeline thread. Implementations (MQTT publisher, HTTP
 * event stream, metrics) must return quickly and never throw for a transport problem: they buffer,
 * count or drop, and report their state elsewhere.
 */
public interface ResultSink {
  void accept(ResultEvent event);
}
