/**
 * The classification loop: {@link dev.offramp.runtime.pipeline.Pipeline} takes the latest frame,
 * preprocesses it, runs the cascade under the exit profile in force and hands a {@link
 * dev.offramp.runtime.pipeline.ResultEvent} to every {@link
 * dev.offramp.runtime.pipeline.ResultSink}; a bundle swap is made between two frames. Depends on
 * the cascade module and on {@code capture}, {@code audit} and {@code energy} only: transports
 * ({@code mqtt}, {@code http}), {@code control}, {@code budget} and {@code bundle} depend on this
 * package, never the other way round.
 */
package dev.offramp.runtime.pipeline;
