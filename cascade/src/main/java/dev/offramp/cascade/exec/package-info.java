/**
 * Executing a cascade bundle with ONNX Runtime: {@link dev.offramp.cascade.exec.CascadeExecutor}
 * (the cascade's semantics: which stage answers, invalid probabilities, continuing a chain), the
 * {@link dev.offramp.cascade.exec.ExitPolicy} modes, and execution-provider selection with CPU
 * fallback ({@code SessionFactory}, {@code ProviderOptionKeys}). The native side has one owner: the
 * package-private {@code PinnedStages} holds every session, pinned tensor and direct buffer of an
 * executor (zero-copy hand-off between stages), after {@code StageGraphs} has checked each graph
 * against its manifest entry. Batched runs ({@code CascadeExecutor.classifyBatch}, when every stage
 * input declares a symbolic batch dimension) do not use the pinned tensors: each batched stage run
 * creates its input tensor and receives its outputs for that call only, copies them to the heap and
 * closes them before returning (no pinned set per batch size: batch sizes vary as frames exit, and
 * the per-call cost is measured by {@code BatchCascadeBenchmark}). The ONNX Runtime environment is
 * the process-wide one, and every module gets it from {@link dev.offramp.cascade.exec.OrtRuntime},
 * which creates it on a large-stack thread.
 *
 * <p>Depends on {@code bundle}, {@code exit}, {@code text} and {@code value}; the only package of
 * the module that touches ONNX Runtime (CascadeArchitectureTest).
 */
package dev.offramp.cascade.exec;
