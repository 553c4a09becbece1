package dev.offramp.runtime.capture;

import java.lang.System.Logger.Level;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Loads the capture layer's native libraries (FFmpeg through JavaCV: its decoders, demuxers and
 * swscale, which also fits frames to the model) on a background thread at start-up, while ONNX
 * Runtime opens the stage sessions and the HTTP server and MQTT client start. Unpacking them into
 * the JavaCPP cache and linking them is the longest single step before a first result; a source
 * that opens later finds them loaded ({@link Loader#load} is synchronized, so it waits for a load
 * in progress instead of repeating it). A failure here is only logged: opening the source loads the
 * same libraries again and reports the error with its source.
 */
public final class NativePreload {
  private static final System.Logger LOG = System.getLogger(NativePreload.class.getName());

  private NativePreload() {}

  /** Starts the preload on a daemon thread and returns at once. */
  public static void start() {
    Thread t =
        new Thread(
            () -> {
              try {
                FFmpegFrameGrabber.tryLoad();
              } catch (Exception | LinkageError e) {
                LOG.log(
                    Level.DEBUG,
                    "preloading the capture natives failed ({0}); the source will load them",
                    e.toString());
              }
            },
            "offramp-native-preload");
    t.setDaemon(true);
    t.start();
  }
}
