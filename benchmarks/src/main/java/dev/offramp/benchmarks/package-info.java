/**
 * Microbenchmarks ({@code jmh}) and the end-to-end benchmark, grid and energy calibration behind
 * {@code offramp bench} ({@link dev.offramp.benchmarks.BenchMain}, the composition root). Depends
 * on cascade and exporter; never part of the default test run except its own fast behavioural
 * tests.
 */
package dev.offramp.benchmarks;
