package dev.offramp.runtime.capture;

import dev.offramp.cascade.value.Required;
import dev.offramp.runtime.settings.ConfigNode;
import java.util.Locale;

/**
 * The {@code source} section: what to capture and how to keep it flowing. Immutable; parsed and
 * validated at start-up by {@link #parse(ConfigNode)}, defaults in {@link #DEFAULT_CAMERA} and the
 * constants below.
 *
 * @param spec where frames come from
 * @param camera camera name, used in MQTT topics ({@code <prefix>/<camera>/…})
 * @param loop for a video file or directory: start again at the end instead of ending the run
 * @param maxFps classify at most this many frames per second; 0 for no cap
 * @param openTimeoutMs how long opening a network source may take
 * @param readTimeoutMs how long a network read may block before the source counts as lost
 * @param reconnectInitialMs first wait before reopening a lost source; doubled per failure
 * @param reconnectMaxMs cap of the reconnect wait
 * @param pipeFormat what a {@code pipe:} command writes
 * @param rawWidth frame width of a raw pipe
 * @param rawHeight frame height of a raw pipe
 * @param rawPixelFormat FFmpeg pixel format of a raw pipe, e.g. {@code bgr24}, {@code gray}
 * @param requestWidth V4L2: width to ask the device for; 0 for its default
 * @param requestHeight V4L2: height to ask the device for; 0 for its default
 * @param requestFps V4L2: frame rate to ask the device for; 0 for its default
 * @param inputFormat V4L2: device pixel format to ask for (e.g. {@code mjpeg}); empty for default
 * @param maxPixels a frame with more pixels (width × height) is skipped and counted; for an image
 *     file the header is checked before anything is decoded
 */
public record SourceSettings(
    SourceSpec spec,
    String camera,
    boolean loop,
    double maxFps,
    int openTimeoutMs,
    int readTimeoutMs,
    int reconnectInitialMs,
    int reconnectMaxMs,
    PipeFormat pipeFormat,
    int rawWidth,
    int rawHeight,
    String rawPixelFormat,
    int requestWidth,
    int requestHeight,
    int requestFps,
    String inputFormat,
    long maxPixels) {

  public static final String DEFAULT_CAMERA = "cam0";
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** The largest {@code max-pixels} accepted: 2^30 pixels. */
  public static final long MAX_MAX_PIXELS = 1L << 30;

  public static final int DEFAULT_OPEN_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_READ_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_RECONNECT_INITIAL_MS = 500;
  public static final int DEFAULT_RECONNECT_MAX_MS = 30_000;
  public static final String DEFAULT_RAW_PIXEL_FORMAT = "bgr24";

  /** What a pipe command writes on standard output. */
  public enum PipeFormat {
    /** Concatenated JPEG images (e.g. {@code rpicam-vid --codec mjpeg -o -}). */
    MJPEG,
    /** Raw frames of {@code raw-width × raw-height} in {@code raw-pixel-format}. */
    RAW
  }

  public SourceSettings {
    Required.nonNull(
        "spec, camera, pipeFormat, rawPixelFormat, inputFormat",
        spec,
        camera,
        pipeFormat,
        rawPixelFormat,
        inputFormat);
    if (maxPixels < 1 || maxPixels > MAX_MAX_PIXELS) {
      throw new IllegalArgumentException(
          "max-pixels: expected 1.." + MAX_MAX_PIXELS + ", found " + maxPixels);
    }
    if (reconnectMaxMs < reconnectInitialMs) {
      throw new IllegalArgumentException(
          "reconnect-max-ms ("
              + reconnectMaxMs
              + ") must be at least reconnect-initial-ms ("
              + reconnectInitialMs
              + ")");
    }
  }

  /** Settings for {@code spec} with every other value at its default. */
  public static SourceSettings of(SourceSpec spec) {
    return new SourceSettings(
        spec,
        DEFAULT_CAMERA,
        false,
        0,
        DEFAULT_OPEN_TIMEOUT_MS,
        DEFAULT_READ_TIMEOUT_MS,
        DEFAULT_RECONNECT_INITIAL_MS,
        DEFAULT_RECONNECT_MAX_MS,
        PipeFormat.MJPEG,
        0,
        0,
        DEFAULT_RAW_PIXEL_FORMAT,
        0,
        0,
        0,
        "",
        DEFAULT_MAX_PIXELS);
  }

  /** A copy with other loop and frame-rate settings. */
  public SourceSettings withPacing(boolean loop, double maxFps) {
    return new SourceSettings(
        spec,
        camera,
        loop,
        maxFps,
        openTimeoutMs,
        readTimeoutMs,
        reconnectInitialMs,
        reconnectMaxMs,
        pipeFormat,
        rawWidth,
        rawHeight,
        rawPixelFormat,
        requestWidth,
        requestHeight,
        requestFps,
        inputFormat,
        maxPixels);
  }

  /**
   * Parses the {@code source} section.
   *
   * @throws dev.offramp.runtime.settings.ConfigException naming the key on a missing or bad value
   */
  public static SourceSettings parse(ConfigNode node) {
    return parse(node, DEFAULT_CAMERA);
  }

  /**
   * Parses one source section whose {@code camera} defaults to {@code defaultCamera}.
   *
   * @throws dev.offramp.runtime.settings.ConfigException naming the key on a missing or bad value
   */
  public static SourceSettings parse(ConfigNode node, String defaultCamera) {
    String text =
        node.optionalString("uri")
            .orElseThrow(
                () ->
                    node.error(
                        "uri", "expected " + SourceSpec.FORMS + " (or --source)", "nothing"));
    SourceSpec spec;
    try {
      spec = SourceSpec.parse(text);
    } catch (IllegalArgumentException e) {
      throw node.error("uri", e.getMessage().replaceFirst(", found.*", ""), "'" + text + "'");
    }
    String camera = node.string("camera", defaultCamera);
    if (!camera.matches("[A-Za-z0-9_-]+")) {
      throw node.error(
          "camera",
          "expected letters, digits, '-' or '_' (an MQTT topic level)",
          "'" + camera + "'");
    }
    PipeFormat pipeFormat = node.enumValue("pipe-format", PipeFormat.class, PipeFormat.MJPEG);
    int rawWidth = node.integer("raw-width", 0, 0, 16384);
    int rawHeight = node.integer("raw-height", 0, 0, 16384);
    if (spec instanceof SourceSpec.Pipe
        && pipeFormat == PipeFormat.RAW
        && (rawWidth == 0 || rawHeight == 0)) {
      throw node.error(
          "raw-width", "expected raw-width and raw-height for pipe-format raw", "none");
    }
    int initial = node.integer("reconnect-initial-ms", DEFAULT_RECONNECT_INITIAL_MS, 10, 600_000);
    int max = node.integer("reconnect-max-ms", DEFAULT_RECONNECT_MAX_MS, 10, 3_600_000);
    if (max < initial) {
      throw node.error(
          "reconnect-max-ms",
          "expected at least reconnect-initial-ms (" + initial + ")",
          String.valueOf(max));
    }
    return new SourceSettings(
        spec,
        camera,
        node.bool("loop", false),
        node.number("max-fps", 0, 0, 1000),
        node.integer("open-timeout-ms", DEFAULT_OPEN_TIMEOUT_MS, 100, 600_000),
        node.integer("read-timeout-ms", DEFAULT_READ_TIMEOUT_MS, 100, 600_000),
        initial,
        max,
        pipeFormat,
        rawWidth,
        rawHeight,
        node.string("raw-pixel-format", DEFAULT_RAW_PIXEL_FORMAT).toLowerCase(Locale.ROOT),
        node.integer("request-width", 0, 0, 16384),
        node.integer("request-height", 0, 0, 16384),
        node.integer("request-fps", 0, 0, 1000),
        node.string("input-format", ""),
        maxPixels(node));
  }

  private static long maxPixels(ConfigNode node) {
    return node.integer("max-pixels", (int) DEFAULT_MAX_PIXELS, 1, Math.toIntExact(MAX_MAX_PIXELS));
  }
}
