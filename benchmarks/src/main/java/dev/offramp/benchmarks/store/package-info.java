/**
 * The store-and-forward engine comparison ({@code ./offramp bench store}): SQLite in WAL mode,
 * Tape's QueueFile and H2's MVStore under the same workload and the same damage; a picocli
 * subcommand of {@code bench} writing {@code store-engines.json} as records ({@code StoreReport}).
 * Depends on {@code cli} and {@code report}.
 */
package dev.offramp.benchmarks.store;
