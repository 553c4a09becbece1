/**
 * Frame capture with JavaCV: V4L2 cameras, video files, RTSP/HTTP streams, image directories and
 * pipes from camera commands, each on its own thread into a {@link
 * dev.offramp.runtime.capture.LatestFrameSlot}, fitted to the model's input size and channel order
 * with OpenCV. Lost live sources reconnect with capped exponential backoff and report their {@link
 * dev.offramp.runtime.capture.CaptureState}.
 */
package dev.offramp.runtime.capture;
