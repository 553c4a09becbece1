package dev.offramp.cascade.exec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the TensorRT execution provider builds and keeps its engines.
 *
 * @param fp16 let TensorRT pick FP16 kernels where they are faster
 * @param int8CalibrationTable an INT8 calibration table; present turns INT8 on
 * @param int8NativeTable whether that table is TensorRT's own format (from {@code trtexec}) rather
 *     than ONNX Runtime's ({@code calibration.flatbuffers})
 * @param engineCache keep built engines on disk so later starts skip the build
 * @param timingCache keep TensorRT's layer timing cache on disk (speeds up builds of other graphs)
 * @param workspaceMb the most scratch memory TensorRT may use while building, in MiB
 * @param batch an optimisation profile for a dynamic batch dimension; empty builds for the shapes
 *     the graph declares
 */
public record TensorRtOptions(
    boolean fp16,
    Optional<Path> int8CalibrationTable,
    boolean int8NativeTable,
    boolean engineCache,
    boolean timingCache,
    int workspaceMb,
    Optional<BatchProfile> batch) {

  /** The default TensorRT build workspace: 1 GiB. */
  public static final int DEFAULT_WORKSPACE_MB = 1024;

  public TensorRtOptions {
    Objects.requireNonNull(int8CalibrationTable, "int8CalibrationTable");
    Objects.requireNonNull(batch, "batch");
    if (workspaceMb <= 0) {
      throw new IllegalArgumentException(
          "tensorrt.workspace-mb: expected a positive integer, found " + workspaceMb);
    }
  }

  /** FP32, no INT8, engine and timing caches on, 1 GiB workspace, the graph's own shapes. */
  public static TensorRtOptions defaults() {
    return new TensorRtOptions(
        false, Optional.empty(), false, true, true, DEFAULT_WORKSPACE_MB, Optional.empty());
  }

  /** Whether INT8 precision is on (a calibration table is given). */
  public boolean int8() {
    return int8CalibrationTable.isPresent();
  }

  /**
   * The batch sizes TensorRT builds an engine for: the smallest, the one it tunes for, the largest.
   *
   * @param min smallest batch, at least 1
   * @param opt batch the kernels are tuned for, from min to max
   * @param max largest batch
   */
  public record BatchProfile(int min, int opt, int max) {
    public BatchProfile {
      if (min < 1 || opt < min || max < opt) {
        throw new IllegalArgumentException(
            "tensorrt.batch: expected 1 <= min <= opt <= max, found min "
                + min
                + ", opt "
                + opt
                + ", max "
                + max);
      }
    }
  }
}
