/**
 * Energy for the benchmarks: an {@link dev.offramp.benchmarks.energy.EnergyCounter} read around
 * each timed call, backed by the runtime's measuring meters ({@link
 * dev.offramp.benchmarks.energy.MeterCounter}: INA3221, PMIC, RAPL), the least-squares fit of
 * {@code E = P_idle·t + e_mac·MACs} ({@link dev.offramp.benchmarks.energy.EnergyFit}) and the
 * calibration command. No meter means no number: the benchmark never reports modelled energy as
 * measured.
 */
package dev.offramp.benchmarks.energy;
