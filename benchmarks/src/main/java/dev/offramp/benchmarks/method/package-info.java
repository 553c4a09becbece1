/**
 * The method protocol's analysis (benchmarks/README.md, "Method protocol (fixed before the runs)"):
 * per-image outcomes saved by runs ({@code offramp evaluate --outcomes}, format {@code
 * offramp-outcomes/1}) become one accuracy-vs-MACs curve per run; two schemes are compared by the
 * paired bootstrap over test images (and seeds) of (a) the accuracy difference at equal MACs and
 * (b) the MAC difference at equal accuracy, both interpolated along the curves; a "win" is a 95%
 * interval that excludes 0. A per-margin tolerance verdict is kept as a secondary view.
 *
 * <p>{@link dev.offramp.benchmarks.method.Outcomes} reads and validates one run's file; {@link
 * dev.offramp.benchmarks.method.Curve} is the piecewise-linear curve; {@link
 * dev.offramp.benchmarks.method.PairedBootstrap} computes the statistics; {@link
 * dev.offramp.benchmarks.method.MethodCommand} is {@code offramp bench method}. All stateless or
 * immutable; nothing here runs a model.
 */
package dev.offramp.benchmarks.method;
