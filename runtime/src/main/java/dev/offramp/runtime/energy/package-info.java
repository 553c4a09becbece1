/**
 * Energy attribution per frame: measuring meters (Jetson INA3221 through hwmon or the JetPack 4 iio
 * driver, Raspberry Pi 5 PMIC through {@code vcgencmd}, Intel RAPL) and the MAC model, picked by
 * {@link dev.offramp.runtime.energy.EnergyMeters#open} by probing or by config. Every meter reads
 * below a configurable root so tests run on recorded trees.
 */
package dev.offramp.runtime.energy;
