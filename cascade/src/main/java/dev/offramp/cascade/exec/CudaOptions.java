package dev.offramp.cascade.exec;

import java.util.Objects;

/**
 * Options of the CUDA execution provider (the device id is shared with TensorRT).
 *
 * @param deviceId the GPU to run on, 0 for the first (a Jetson has one)
 * @param cudnnAlgoSearch how cuDNN picks convolution algorithms
 * @param arenaLimitMb the most GPU memory ONNX Runtime's CUDA arena may hold, in MiB; 0 = no limit
 */
public record CudaOptions(int deviceId, CudnnAlgoSearch cudnnAlgoSearch, long arenaLimitMb) {
  public CudaOptions {
    Objects.requireNonNull(cudnnAlgoSearch, "cudnnAlgoSearch");
    if (deviceId < 0) {
      throw new IllegalArgumentException(
          "cuda.device-id: expected 0 or a positive integer, found " + deviceId);
    }
    if (arenaLimitMb < 0) {
      throw new IllegalArgumentException(
          "cuda.arena-limit-mb: expected 0 (no limit) or a positive integer, found "
              + arenaLimitMb);
    }
  }

  /** Device 0, exhaustive cuDNN search (ONNX Runtime's default), no arena limit. */
  public static CudaOptions defaults() {
    return new CudaOptions(0, CudnnAlgoSearch.EXHAUSTIVE, 0);
  }

  /**
   * cuDNN convolution algorithm search: {@code EXHAUSTIVE} benchmarks every algorithm once per
   * shape (slowest first run, fastest after), {@code HEURISTIC} asks cuDNN's heuristics, {@code
   * DEFAULT} takes the default algorithm without searching.
   */
  public enum CudnnAlgoSearch {
    EXHAUSTIVE,
    HEURISTIC,
    DEFAULT
  }
}
