package dev.offramp.runtime.capture;

/**
 * Receives every change of a source's {@link CaptureState}, on the capture thread. Must return
 * quickly and not throw.
 */
@FunctionalInterface
public interface CaptureListener {
  void stateChanged(String camera, CaptureState state);
}
