package dev.offramp.exporter.cli;

import dev.offramp.exporter.data.InputOptions;
import dev.offramp.exporter.data.InputSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code build}'s input options: image size, colour and normalisation. */
final class InputFlags {
  @Option(names = "--size", description = "N or WxH (default: the backbone's input size)")
  String size;

  @Option(names = "--color", description = "gray|rgb|bgr (default: by input channels)")
  String color;

  @Option(names = "--scale", defaultValue = "0.00392156862745098")
  double scale;

  @Option(names = "--mean", defaultValue = "0", description = "M or M,M,M")
  String mean;

  @Option(names = "--std", defaultValue = "1", description = "S or S,S,S")
  String std;

  /** The options as validated settings. */
  InputSettings settings() {
    return new InputSettings(
        Optional.ofNullable(size).map(InputSettings.ImageSize::parse),
        Optional.ofNullable(color).map(InputOptions::parseColor),
        scale,
        InputOptions.parseList("--mean", mean),
        InputOptions.parseList("--std", std));
  }
}
