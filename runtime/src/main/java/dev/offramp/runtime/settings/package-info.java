/**
 * The lowest layer of configuration: {@link dev.offramp.runtime.settings.ConfigNode}, a typed,
 * validating view of one section of the YAML tree that remembers which keys were read, and {@link
 * dev.offramp.runtime.settings.ConfigException}, the error a user must fix. Every component's
 * {@code *Settings} record parses itself from a {@code ConfigNode}; {@code config} composes them.
 *
 * <p>Depends on nothing in the runtime (only Jackson's tree model and {@code cascade.text}), so
 * every package may use it without a cycle.
 */
package dev.offramp.runtime.settings;
