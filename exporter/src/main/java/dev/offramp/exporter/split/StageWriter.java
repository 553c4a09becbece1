package dev.offramp.exporter.split;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.offramp.exporter.graph.OnnxModelException;
import dev.offramp.exporter.graph.Ort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes stage graphs as {@code stage-<k>.onnx} and proves each one loads in ONNX Runtime with the
 * expected input and output names before returning.
 */
public final class StageWriter {
  private static final Pattern STAGE_FILE = Pattern.compile("stage-(\\d+)\\.onnx");

  private StageWriter() {}

  /**
   * Writes {@code stages} into {@code dir} (created if needed).
   *
   * @return the files written, in stage order
   * @throws IllegalStateException when {@code dir} holds more stage files than this split has (left
   *     from an earlier split: mixing them would give a wrong chain)
   * @throws OnnxModelException when ONNX Runtime refuses a written stage
   */
  public static List<Path> write(List<StageGraph> stages, Path dir) {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> existing = Files.newDirectoryStream(dir, "stage-*.onnx")) {
        for (Path p : existing) {
          Matcher m = STAGE_FILE.matcher(String.valueOf(p.getFileName()));
          if (m.matches() && Integer.parseInt(m.group(1)) >= stages.size()) {
            throw new IllegalStateException(
                dir
                    + " already holds "
                    + p.getFileName()
                    + " from an earlier split into more"
                    + " stages; empty the directory or choose another --out.");
          }
        }
      }
      List<Path> written = new ArrayList<>();
      for (StageGraph stage : stages) {
        Path file = dir.resolve(stage.fileName());
        byte[] bytes = stage.model().toByteArray();
        Files.write(file, bytes);
        checkLoads(stage, bytes, file);
        written.add(file);
      }
      return List.copyOf(written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write stages to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkLoads(StageGraph stage, byte[] bytes, Path file) {
    try (OrtSession session = Ort.session(bytes, "stage " + stage.index() + " (" + file + ")")) {
      Set<String> inputs = session.getInputNames();
      List<String> outputs = List.copyOf(session.getOutputNames());
      if (!inputs.containsAll(stage.inputs()) || !outputs.equals(stage.outputs())) {
        throw new OnnxModelException(
            "stage "
                + stage.index()
                + " ("
                + file
                + ") loads with inputs "
                + inputs
                + " and outputs "
                + outputs
                + ", expected "
                + stage.inputs()
                + " and "
                + stage.outputs());
      }
    } catch (OrtException e) {
      throw new OnnxModelException(
          "ONNX Runtime cannot describe stage "
              + stage.index()
              + " ("
              + file
              + "): "
              + e.getMessage(),
          e);
    }
  }
}
