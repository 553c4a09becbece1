/**
 * The edge daemon that runs a cascade bundle on a board. This package is its composition root:
 * {@link dev.offramp.runtime.Main} lists the parts once, in start order, and a {@link
 * dev.offramp.runtime.lifecycle.Lifecycle} stops them in reverse under one stop budget; {@code
 * Wiring} builds the parts (energy meter, pipeline, transports) and {@code Transports} holds the
 * MQTT, HTTP, audit, budget and bundle-update parts as one lifecycle part.
 *
 * <p>The only package besides {@code cli} that depends on everything; nothing but {@code cli}
 * depends on it. Sub-packages form no cycle ({@code RuntimeArchitectureTest}).
 */
package dev.offramp.runtime;
