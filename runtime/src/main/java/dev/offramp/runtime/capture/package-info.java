/**
 * Frame capture with JavaCV: V4L2 cameras, video files, RTSP/HTTP streams, image directories and
 * pipes from camera commands, each on its own thread into a {@link
 * dev.offramp.runtime.capture.LatestFrameSlot}, fitted to the model's input size and channel order
 * with FFmpeg's swscale. Lost live sources reconnect with capped exponential backoff and report
 * their {@link dev.offramp.runtime.capture.CaptureState}. A bad frame (undecodable, or declaring
 * more than {@code source.max-pixels} in its header) is skipped and counted in {@link
 * dev.offramp.runtime.capture.SkippedFrames}, never fatal; a source of nothing but bad frames is
 * reported as {@code error} and retried with the same backoff. Frames carry the bundle's own {@code
 * ColorMode}. Depends on the cascade module (input spec) and, through its settings records, on the
 * configuration reader; no other runtime package.
 */
package dev.offramp.runtime.capture;
