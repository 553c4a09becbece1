/**
 * The several-cameras benchmark ({@code ./offramp bench cameras}): N cameras in one daemon (one set
 * of stage sessions, frames that wait together run as one batch) against N daemons of one camera
 * each, same bundle, same video, one after the other in one run, publishing to a real Mosquitto;
 * throughput, capture-to-publish latency and total RSS, as the {@code CamerasBench.Report} record.
 * Depends on {@code proc} (broker, subscriber, daemons), {@code soak} (percentiles) and {@code
 * report} (JSON, machine line).
 */
package dev.offramp.benchmarks.cameras;
