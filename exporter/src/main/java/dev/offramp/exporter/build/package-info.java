/**
 * The build as a composition of public steps, shared by {@code offramp build} and the benchmarks'
 * grid: {@link dev.offramp.exporter.build.BackbonePlan} (the backbone analysed at the resolved
 * input, cut specs, head shapes, MACs per stage, a feature extractor), {@link
 * dev.offramp.exporter.build.BuildData} (the dataset and its features), {@link
 * dev.offramp.exporter.build.TrainedScheme} (one scheme's branches with their exit probabilities),
 * {@link dev.offramp.exporter.build.CalibratedScheme} (its profiles at every margin and the
 * target), then the bundle package's merge-and-prove and writer, and report.json (records in {@code
 * ReportDocument}, filled by {@code BuildReport}). {@link
 * dev.offramp.exporter.build.CascadeBuilder#build} composes them; {@link
 * dev.offramp.exporter.build.BuildOptions} composes the settings each step owns (input, data,
 * training, calibration). The top of the exporter's package graph: only {@code cli} and the
 * benchmarks depend on it.
 */
package dev.offramp.exporter.build;
