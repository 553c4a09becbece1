package dev.offramp.runtime.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A source read by FFmpeg through JavaCV: a video file, a V4L2 device, an RTSP (over TCP) or HTTP
 * stream, or a command's standard output. Owns the grabber (and the pixels of its frames) and, for
 * a pipe, the process; {@link #close()} releases both.
 */
final class FfmpegSource implements FrameSource {
  private static final System.Logger LOG = System.getLogger(FfmpegSource.class.getName());

  static {
    // FFmpeg's own console chatter is noise for a daemon; errors reach us as exceptions.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    FFmpegLogCallback.set();
  }

  private final SourceSettings settings;
  private final FFmpegFrameGrabber grabber;
  private final Process process;
  private final AtomicReference<String> lastStderr = new AtomicReference<>("");
  private Picture image;
  private ByteBuffer frameBuffer; // the grabber's buffer that image wraps
  private boolean closed;

  private FfmpegSource(SourceSettings settings, FFmpegFrameGrabber grabber, Process process) {
    this.settings = settings;
    this.grabber = grabber;
    this.process = process;
  }

  /**
   * Opens the source described by {@code settings}.
   *
   * @param gray whether the model wants one gray channel: then FFmpeg converts to 8-bit gray itself
   *     (the luma plane, no colour work afterwards). Not for V4L2, where JavaCV would ask the
   *     camera for a gray format.
   * @throws CaptureException naming the source and what to check
   */
  static FfmpegSource open(SourceSettings settings, boolean gray) {
    SourceSpec spec = settings.spec();
    Process process = null;
    FFmpegFrameGrabber grabber;
    switch (spec) {
      case SourceSpec.VideoFile file -> grabber = new FFmpegFrameGrabber(file.file().toFile());
      case SourceSpec.V4l2Device device -> {
        if (!Files.exists(device.device())) {
          throw new CaptureException(
              "camera "
                  + device.device()
                  + " not found: check that it is plugged in and listed by `v4l2-ctl"
                  + " --list-devices` (or `ls /dev/video*`)");
        }
        if (!Files.isReadable(device.device())) {
          throw new CaptureException(
              "camera "
                  + device.device()
                  + " is not readable: add the user running offramp to the 'video' group");
        }
        grabber = new FFmpegFrameGrabber(device.device().toString());
        grabber.setFormat("video4linux2");
        if (settings.requestWidth() > 0 && settings.requestHeight() > 0) {
          grabber.setOption("video_size", settings.requestWidth() + "x" + settings.requestHeight());
        }
        if (settings.requestFps() > 0) {
          grabber.setOption("framerate", String.valueOf(settings.requestFps()));
        }
        if (!settings.inputFormat().isEmpty()) {
          grabber.setOption("input_format", settings.inputFormat());
        }
      }
      case SourceSpec.NetworkStream stream -> {
        grabber = new FFmpegFrameGrabber(stream.uri().toString());
        String readUs = String.valueOf(settings.readTimeoutMs() * 1000L);
        if (stream.rtsp()) {
          grabber.setOption("rtsp_transport", "tcp");
          grabber.setOption("timeout", readUs);
        } else {
          grabber.setOption("timeout", String.valueOf(settings.openTimeoutMs() * 1000L));
          grabber.setOption("rw_timeout", readUs);
          grabber.setOption("reconnect", "0");
        }
      }
      case SourceSpec.Pipe pipe -> {
        try {
          process =
              new ProcessBuilder("/bin/sh", "-c", pipe.command())
                  .redirectInput(ProcessBuilder.Redirect.PIPE)
                  .start();
        } catch (IOException e) {
          throw new CaptureException(
              "cannot start pipe command '" + pipe.command() + "': " + e.getMessage(), e);
        }
        grabber = new FFmpegFrameGrabber(process.getInputStream(), 0);
        if (settings.pipeFormat() == SourceSettings.PipeFormat.RAW) {
          grabber.setFormat("rawvideo");
          grabber.setOption("pixel_format", settings.rawPixelFormat());
          grabber.setOption("video_size", settings.rawWidth() + "x" + settings.rawHeight());
        } else {
          grabber.setFormat("mjpeg");
        }
      }
      case SourceSpec.ImageDirectory dir ->
          throw new IllegalArgumentException("an image directory is not an FFmpeg source: " + dir);
    }
    boolean raw = settings.pipeFormat() == SourceSettings.PipeFormat.RAW;
    if (gray
        && !(spec instanceof SourceSpec.V4l2Device)
        && !(spec instanceof SourceSpec.Pipe && raw)) {
      grabber.setImageMode(FrameGrabber.ImageMode.GRAY);
      grabber.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
    }
    // FFmpeg refuses to decode a frame over the limit itself (AVCodecContext max_pixels), so an
    // oversized MJPEG frame costs no allocation; next() checks again in case a decoder ignores it.
    grabber.setVideoOption("max_pixels", String.valueOf(settings.maxPixels()));
    FfmpegSource source = new FfmpegSource(settings, grabber, process);
    if (process != null) {
      source.drainStderr(process);
    }
    try {
      grabber.start();
      return source;
    } catch (FrameGrabber.Exception | RuntimeException e) {
      source.close();
      if (String.valueOf(e.getMessage()).contains("avcodec_open2() error -22")) {
        // EINVAL from the codec: with max_pixels set, the usual cause is a frame size over it
        // (FFmpeg says so on its own log line, which does not reach the exception).
        throw new BadSourceException(
            "cannot open source "
                + spec.text()
                + ": FFmpeg refused its video codec (EINVAL), most likely because its frames have"
                + " more than source.max-pixels ("
                + settings.maxPixels()
                + ") pixels; lower the source's resolution or raise source.max-pixels",
            e);
      }
      throw new CaptureException(
          "cannot open source " + spec.text() + ": " + e.getMessage() + source.stderrHint(), e);
    }
  }

  @Override
  public boolean next() {
    Frame frame;
    try {
      frame = grabber.grabImage();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new CaptureException(
          "reading " + settings.spec().text() + " failed: " + e.getMessage() + stderrHint(), e);
    }
    if (frame == null || frame.image == null) {
      return false;
    }
    long pixels = (long) frame.imageWidth * frame.imageHeight;
    if (pixels > settings.maxPixels()) {
      throw new FrameSkippedException(
          SkippedFrames.Reason.TOO_LARGE,
          settings.spec().text()
              + " delivered a "
              + frame.imageWidth
              + "×"
              + frame.imageHeight
              + " frame, over source.max-pixels ("
              + settings.maxPixels()
              + "); lower the camera resolution or raise source.max-pixels");
    }
    image = wrap(frame);
    return true;
  }

  /**
   * The frame's pixels as a {@link Picture}, without copying. The channel count comes from the
   * pixel format the grabber converts to, not from the row stride, which is padded for narrow
   * frames (a 28-pixel gray row padded to 64 bytes would read as 2 channels). The grabber reuses
   * its output buffer, so the picture is rebuilt only when the buffer, size or stride changes.
   */
  private Picture wrap(Frame frame) {
    if (frame.imageDepth != Frame.DEPTH_UBYTE) {
      throw new CaptureException(
          settings.spec().text()
              + " delivered "
              + frame.imageDepth
              + "-bit frames; expected 8-bit");
    }
    int channels = grabber.getPixelFormat() == avutil.AV_PIX_FMT_GRAY8 ? 1 : 3;
    ByteBuffer data = (ByteBuffer) frame.image[0];
    if (image == null
        || data != frameBuffer
        || frame.imageWidth != image.width()
        || frame.imageHeight != image.height()
        || frame.imageStride != image.stride()
        || channels != image.channels()) {
      frameBuffer = data;
      image =
          new Picture(
              data.duplicate().clear(),
              frame.imageWidth,
              frame.imageHeight,
              frame.imageStride,
              channels);
    }
    return image;
  }

  @Override
  public Picture image() {
    return image;
  }

  private void drainStderr(Process p) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                  if (!line.isBlank()) {
                    lastStderr.set(line.strip());
                    LOG.log(Level.DEBUG, "pipe: {0}", line);
                  }
                }
              } catch (IOException e) {
                LOG.log(Level.TRACE, "pipe stderr closed", e);
              }
            },
            "offramp-pipe-stderr");
    thread.setDaemon(true);
    thread.start();
  }

  private String stderrHint() {
    String line = lastStderr.get();
    if (process != null && !process.isAlive()) {
      return " (command exited with "
          + process.exitValue()
          + (line.isEmpty() ? "" : ": " + line)
          + ")";
    }
    return line.isEmpty() ? "" : " (command said: " + line + ")";
  }

  /** Ends the pipe command (unblocking a read in progress); safe from any thread. */
  void stopProcess() {
    if (process != null) {
      process.destroy();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    try {
      grabber.close();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      LOG.log(Level.DEBUG, "closing " + settings.spec().text(), e);
    }
    if (process != null) {
      try {
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
