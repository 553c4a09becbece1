package dev.offramp.runtime.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each result to every added sink, so the pipeline can be built before the transports that
 * need it (the MQTT publisher controls the pipeline through {@code ControlHub}). Sinks are added at
 * start-up; reads are lock-free. Thread-safe.
 */
public final class SinkFanout implements ResultSink {
  private final List<ResultSink> sinks = new CopyOnWriteArrayList<>();

  public SinkFanout add(ResultSink sink) {
    sinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  @Override
  public void accept(ResultEvent event) {
    for (ResultSink sink : sinks) {
      sink.accept(event);
    }
  }
}
