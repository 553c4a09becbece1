/**
 * MQTT transport: the result publisher ({@code <prefix>/<camera>/result}), availability and
 * capture-status topics, periodic stats, {@code set/<name>} commands, and the on-disk
 * store-and-forward buffer that holds results while the broker is unreachable. Topics and payloads
 * follow the MQTT contract of ARCHITECTURE.md; {@link dev.offramp.runtime.mqtt.ResultJson} is the
 * one codec of the result payload, shared with the HTTP event stream.
 */
package dev.offramp.runtime.mqtt;
