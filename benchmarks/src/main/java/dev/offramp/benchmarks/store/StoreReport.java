package dev.offramp.benchmarks.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** store-engines.json, written by {@link StoreBench} through the benchmarks' JSON writer. */
record StoreReport(
    int results,
    int recordBytes,
    int batch,
    String dir,
    @JsonProperty("sqlite-wal") EngineResult sqliteWal,
    @JsonProperty("tape-queuefile") EngineResult tapeQueueFile,
    @JsonProperty("h2-mvstore") EngineResult h2MvStore,
    int cores,
    String jdk) {
  /**
   * What came back after one flipped byte; {@code result} alone when the record could not be found
   * in the file to damage it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Damage(Integer intact, Integer alteredWithoutError, String error, String result) {}

  /** One engine's figures. */
  record EngineResult(long livePerS, long outageAppendPerS, long outageReplayPerS, Damage damage) {}
}
