package dev.offramp.runtime.capture;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where frames come from, parsed from the {@code source} string: a video file, a directory of
 * images (name order), a V4L2 device ({@code /dev/videoN}), an {@code rtsp://} or {@code http://}
 * stream, or {@code pipe:COMMAND} (frames on a command's standard output).
 */
public sealed interface SourceSpec {
  /** Allowed forms, for error messages. */
  String FORMS =
      "a video file, a directory of images, /dev/videoN, an rtsp:// or http(s):// URL, or"
          + " pipe:COMMAND";

  /** The text the user wrote, for logs and status. */
  default String text() {
    return switch (this) {
      case VideoFile v -> v.file().toString();
      case ImageDirectory d -> d.dir().toString();
      case V4l2Device d -> d.device().toString();
      case NetworkStream n -> n.uri().toString();
      case Pipe p -> "pipe:" + p.command();
    };
  }

  /** Whether the source is finite and read at the consumer's pace (files, directories). */
  default boolean finite() {
    return this instanceof VideoFile || this instanceof ImageDirectory;
  }

  /** A video file FFmpeg can demux. */
  record VideoFile(Path file) implements SourceSpec {
    public VideoFile {
      Objects.requireNonNull(file, "file");
    }
  }

  /** Image files of a directory, read in file-name order. */
  record ImageDirectory(Path dir) implements SourceSpec {
    public ImageDirectory {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /** A Video4Linux2 capture device. */
  record V4l2Device(Path device) implements SourceSpec {
    public V4l2Device {
      Objects.requireNonNull(device, "device");
    }
  }

  /** An RTSP (always over TCP) or HTTP (MJPEG or any FFmpeg-readable) stream. */
  record NetworkStream(URI uri) implements SourceSpec {
    public NetworkStream {
      Objects.requireNonNull(uri, "uri");
    }

    public boolean rtsp() {
      return uri.getScheme().toLowerCase(Locale.ROOT).startsWith("rtsp");
    }
  }

  /** A shell command whose standard output carries MJPEG or raw frames. */
  record Pipe(String command) implements SourceSpec {
    public Pipe {
      Objects.requireNonNull(command, "command");
    }
  }

  /**
   * Parses a source string. Files and directories must exist; a V4L2 device is only checked when
   * capture opens it (so the error can say what to check).
   *
   * @throws IllegalArgumentException saying which forms are allowed and what was found
   */
  static SourceSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("pipe:")) {
      String command = text.substring("pipe:".length()).trim();
      if (command.isEmpty()) {
        throw new IllegalArgumentException("expected pipe:COMMAND, found an empty command");
      }
      return new Pipe(command);
    }
    if (lower.startsWith("rtsp://")
        || lower.startsWith("rtsps://")
        || lower.startsWith("http://")
        || lower.startsWith("https://")) {
      try {
        URI uri = new URI(text);
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("expected a URL with a host, found '" + text + "'");
        }
        return new NetworkStream(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("expected a valid URL, found '" + text + "'", e);
      }
    }
    if (text.startsWith("/dev/video")) {
      return new V4l2Device(Path.of(text));
    }
    if (lower.contains("://")) {
      throw new IllegalArgumentException("expected " + FORMS + ", found '" + text + "'");
    }
    Path path = Path.of(text);
    if (Files.isDirectory(path)) {
      return new ImageDirectory(path);
    }
    if (Files.isRegularFile(path)) {
      return new VideoFile(path);
    }
    throw new IllegalArgumentException(
        "expected " + FORMS + ", found '" + text + "' (no such file or directory)");
  }
}
