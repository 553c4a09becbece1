package dev.offramp.exporter.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One stage file to chain and what to compare from it.
 *
 * @param file the stage's ONNX file
 * @param input the tensor it is fed (a backbone input for the first stage, else the previous cut)
 * @param compared its outputs that must equal the backbone's tensors of the same name
 */
public record StageSpec(Path file, String input, List<String> compared) {
  public StageSpec {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(input, "input");
    compared = List.copyOf(compared);
    if (compared.isEmpty()) {
      throw new IllegalArgumentException("stage " + file + " compares no tensor");
    }
  }
}
