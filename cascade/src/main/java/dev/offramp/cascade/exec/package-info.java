/**
 * Executing a cascade bundle with ONNX Runtime: {@link dev.offramp.cascade.exec.CascadeExecutor}
 * (one session per stage, pinned outputs, zero-copy hand-off between stages), the {@link
 * dev.offramp.cascade.exec.ExitPolicy} modes, and execution-provider selection with CPU fallback.
 * The ONNX Runtime environment is the process-wide one, and every module gets it from {@link
 * dev.offramp.cascade.exec.OrtRuntime}, which creates it on a large-stack thread.
 */
package dev.offramp.cascade.exec;
