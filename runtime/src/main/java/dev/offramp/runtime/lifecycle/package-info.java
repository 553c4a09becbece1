/**
 * Process lifecycle: {@link dev.offramp.runtime.lifecycle.Lifecycle} owns start order, stop order
 * (the reverse) and the one stop budget shared by every {@link dev.offramp.runtime.lifecycle.Part};
 * {@link dev.offramp.runtime.lifecycle.StopSignal} turns SIGTERM/SIGINT into a stop request; {@link
 * dev.offramp.runtime.lifecycle.SystemdNotifier} tells systemd {@code READY}, {@code WATCHDOG} and
 * {@code STOPPING}.
 *
 * <p>Depends on nothing in the runtime: the composition root adapts each component to a {@code
 * Part}.
 */
package dev.offramp.runtime.lifecycle;
