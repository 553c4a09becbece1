/**
 * What {@code offramp demo} adds to the daemon: an in-process MQTT broker and scoring against the
 * demo video's known labels.
 */
package dev.offramp.runtime.demo;
