/**
 * The runtime's soak benchmark ({@code ./offramp bench soak}): the real daemon as a child process
 * on a looped video, publishing to a real Mosquitto, read back with {@code mosquitto_sub};
 * sustained throughput, end-to-end latency, per-frame overhead outside inference and RSS.
 */
package dev.offramp.benchmarks.soak;
