/**
 * The runtime's soak benchmark ({@code ./offramp bench soak}): the real daemon as a child process
 * on a looped video, publishing to a real Mosquitto, read back with {@code mosquitto_sub};
 * sustained throughput, end-to-end latency, per-frame overhead outside inference and RSS, as the
 * {@code SoakBench.Report} record. Depends on {@code cli} (its flags), {@code proc} (broker,
 * subscriber, daemon) and {@code report} (JSON, machine line).
 */
package dev.offramp.benchmarks.soak;
