/**
 * The composition of start-up configuration: {@link dev.offramp.runtime.config.ConfigLoader} reads
 * the YAML file (kebab-case keys) and applies command-line overrides; {@link
 * dev.offramp.runtime.config.RuntimeConfig} composes one immutable, validated record per component,
 * each parsed by the component's own {@code *Settings.parse}. Unknown keys, wrong types and bad
 * values stop start-up with an error naming the file (or flag) and the key.
 *
 * <p>The top of the settings layer: it depends on every component's settings record and on {@code
 * settings}; no component depends on it.
 */
package dev.offramp.runtime.config;
