/**
 * Runtime metrics through the Helidon metrics API, served as Prometheus text on {@code
 * /observe/metrics} and mirrored on MQTT {@code <prefix>/stats}.
 */
package dev.offramp.runtime.metrics;
