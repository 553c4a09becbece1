/**
 * The end-to-end benchmark ({@code offramp bench}): {@link dev.offramp.benchmarks.e2e.Variant}s
 * (the monolithic backbone as one ONNX Runtime session, the cascade under each exit policy) are
 * timed by {@link dev.offramp.benchmarks.e2e.Interleaved}, round-robin per image with a rotating
 * first variant, in one process, at batch 1, with one thread count for every session. Latency
 * percentiles are nearest-rank ({@link dev.offramp.benchmarks.e2e.LatencyStats}). Energy is
 * reported only when a meter measured it. Single-threaded throughout.
 */
package dev.offramp.benchmarks.e2e;
