/**
 * The boosted-vs-baseline grid ({@code offramp bench grid}): {@link
 * dev.offramp.benchmarks.grid.GridSpec} (4 placements × 4 margins × 4 head sizes), run resumably by
 * {@link dev.offramp.benchmarks.grid.GridRunner} on the exporter's own training, calibration and
 * metrics classes with one shared feature cache per split (the exporter's {@code
 * features.FeatureCache}); each configuration's winner by {@link
 * dev.offramp.benchmarks.grid.Dominance} (tolerances documented there), the oracle bound by {@link
 * dev.offramp.benchmarks.grid.OracleBound}, the aggregate by {@link
 * dev.offramp.benchmarks.grid.GridReport}. Documents: {@code ConfigDocument} (one configuration)
 * and {@link dev.offramp.benchmarks.grid.GridDocument} (grid.json), records.
 */
package dev.offramp.benchmarks.grid;
