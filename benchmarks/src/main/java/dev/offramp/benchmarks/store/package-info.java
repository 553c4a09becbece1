/**
 * The store-and-forward engine comparison ({@code ./offramp bench store}): SQLite in WAL mode,
 * Tape's QueueFile and H2's MVStore under the same workload and the same damage.
 */
package dev.offramp.benchmarks.store;
