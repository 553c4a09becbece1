package dev.offramp.cascade.exec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of the GPU execution providers and where their caches live.
 *
 * @param tensorRt TensorRT precision, caches, workspace and batch profile
 * @param cuda CUDA device and memory options (the device id applies to TensorRT too)
 * @param cacheRoot directory for engine and timing caches (the daemon's state directory); empty
 *     keeps nothing on disk, so TensorRT builds its engines at every start
 */
public record AcceleratorOptions(
    TensorRtOptions tensorRt, CudaOptions cuda, Optional<Path> cacheRoot) {
  public AcceleratorOptions {
    Objects.requireNonNull(tensorRt, "tensorRt");
    Objects.requireNonNull(cuda, "cuda");
    Objects.requireNonNull(cacheRoot, "cacheRoot");
  }

  /** Provider defaults and no cache directory. */
  public static AcceleratorOptions defaults() {
    return new AcceleratorOptions(
        TensorRtOptions.defaults(), CudaOptions.defaults(), Optional.empty());
  }
}
