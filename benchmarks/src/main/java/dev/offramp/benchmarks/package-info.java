/**
 * Microbenchmarks ({@code jmh}) and the end-to-end benchmark, grid and energy calibration behind
 * {@code offramp bench} ({@link dev.offramp.benchmarks.BenchMain}, the composition root; {@code
 * grid}, {@code method}, {@code soak} and {@code budget} are picocli subcommands of {@link
 * dev.offramp.benchmarks.BenchCommand}, their flags in {@code cli.BenchFlags}). Depends on cascade,
 * exporter and runtime; never part of the default test run except its own fast behavioural tests.
 */
package dev.offramp.benchmarks;
