/**
 * Run-time control: the daemon's switches as transports see them ({@link
 * dev.offramp.runtime.control.RuntimeControl}: the pipeline's {@code Switches} plus budget mode)
 * and {@link dev.offramp.runtime.control.ControlHub}, the one path every transport changes them
 * through and that tells every transport what was applied. Depends on {@code pipeline} (the
 * switches it controls) and {@code text}; the pipeline does not know this package.
 */
package dev.offramp.runtime.control;
